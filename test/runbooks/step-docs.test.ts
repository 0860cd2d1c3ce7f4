import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { stepDocs } from '../../src/runbooks/step-docs.js';
import { stepRegistry } from '../../src/steps/registry.js';

it('docs/steps.md is what the registry generates (run `npm run docs` after changing a step)', () => {
  const committed = readFileSync(new URL('../../docs/steps.md', import.meta.url), 'utf8');
  expect(committed).toBe(stepDocs());
  for (const id of stepRegistry.keys()) expect(committed).toContain(`## \`${id}\``);
});
