#!/usr/bin/env node
// `npm start`: runs the built bot (dist/), never compiling at start (that took 24 s). Says so
// plainly when there is no build, and warns when the sources are newer than it.
import { existsSync, readdirSync, statSync } from 'node:fs';

const built = new URL('../dist/src/index.js', import.meta.url);
const sources = new URL('../src/', import.meta.url);

if (!existsSync(built)) {
  console.error('tzero is not built: run `npm run build` once, then `npm start` (or `npm run dev` to run the sources).');
  process.exit(1);
}
if (existsSync(sources)) {
  const builtAt = statSync(built).mtimeMs;
  const stale = readdirSync(sources, { recursive: true, withFileTypes: true })
    .some((e) => e.isFile() && e.name.endsWith('.ts') && statSync(`${e.parentPath ?? e.path}/${e.name}`).mtimeMs > builtAt);
  if (stale) console.error('tzero: warning: src/ changed since the last build; run `npm run build` to run the new code.');
}
await import(built.href);
