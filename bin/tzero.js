#!/usr/bin/env node
// The `tzero` command. Runs the built CLI (dist/) when it is built and up to date, else the
// TypeScript sources through tsx, so a stale build never lints with yesterday's step schemas.
import { existsSync, readdirSync, statSync } from 'node:fs';

const built = new URL('../dist/src/cli.js', import.meta.url);
const sources = new URL('../src/', import.meta.url);

/** Newest modification time of the .ts files under `dir` (0 when there are none). */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) {
      latest = Math.max(latest, statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs);
    }
  }
  return latest;
}

const useBuild = existsSync(built) && (!existsSync(sources) || statSync(built).mtimeMs >= newest(sources));
let cli;
if (useBuild) {
  cli = await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(new URL('cli.ts', sources).href);
}
process.exitCode = await cli.main(process.argv.slice(2));
