// Regenerates docs/steps.md from the step registry (`npm run docs`).
import { writeFileSync } from 'node:fs';
import { stepDocs } from '../src/runbooks/step-docs.js';

writeFileSync(new URL('../docs/steps.md', import.meta.url), stepDocs());
console.log('wrote docs/steps.md');
