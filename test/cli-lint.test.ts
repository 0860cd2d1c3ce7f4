// Issue #6 §2: `tzero lint` checks monitor ids against the monitors file and validates that file
// too; `tzero --help` and `tzero lint --help` print usage instead of reading "--help" as a folder.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';

let dir: string;
let books: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tzero-cli-lint-'));
  books = path.join(dir, 'books');
  await mkdir(books);
  await writeFile(path.join(books, 'book.yml'), 'name: book\nchannel: C0CUTOVER\nroles: { lead: [U0LEAD] }\nsteps:\n  - { id: quiet, uses: silence, with: { monitors: [sitee] } }\n');
  await writeFile(path.join(books, 'monitors.yml'), 'health:\n  - { id: site, url: "http://127.0.0.1:1/", down_afterr: 2 }\n');
  await writeFile(path.join(dir, 'good-monitors.yml'), 'health:\n  - { id: sitee, url: "http://127.0.0.1:1/" }\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  const rel = (l: string) => l.split(`${dir}${path.sep}`).join('');
  return { code, out: out.map(rel), err: err.map(rel).join('\n') };
}

describe('tzero lint with a monitors file', () => {
  it('reads --monitors, validates it, and refuses monitor ids not in it; the file is not read as a runbook', async () => {
    const r = await cli(['lint', books, '--monitors', path.join(books, 'monitors.yml')]);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([
      'books/monitors.yml:2:45 health[0].down_afterr: unknown field "down_afterr"',
      'books/book.yml:5:52 steps[0].with.monitors[0]: unknown monitor "sitee"; did you mean "site"? (monitors in books/monitors.yml: site, tzero-steps, workers, redis)',
      'books: 1 runbook checked, 0 valid, 1 invalid (1 problem)',
      'books/monitors.yml: invalid (1 problem)',
    ]);
  });

  it('defaults to MONITORS_FILE', async () => {
    const r = await cli(['lint', books], { MONITORS_FILE: path.join(dir, 'good-monitors.yml') });
    // books/monitors.yml is not the monitors file now, so it is read as a (bad) runbook.
    expect(r.out.filter((l) => l.includes('book.yml'))).toEqual([]);
    expect(r.out.at(-1)).toBe('books: 2 runbooks checked, 1 valid, 1 invalid (4 problems)');
  });

  it('defaults to ./monitors.yml, and a missing default means no monitors', async () => {
    const r = await cli(['lint', path.join(books, 'book.yml')]);
    expect(r.code).toBe(1);
    expect(r.out[0]).toContain('unknown monitor "sitee" (./monitors.yml does not exist');
  });

  it('refuses an explicit monitors file that does not exist', async () => {
    const r = await cli(['lint', dir, '--monitors', path.join(dir, 'nope.yml')]);
    expect(r).toMatchObject({ code: 1, err: 'tzero lint: cannot read monitors file nope.yml' });
  });
});

describe('tzero help', () => {
  it('prints usage for --help, -h and lint --help, without linting anything', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = await cli(args);
      expect(r.code).toBe(0);
      expect(r.out.join('\n')).toMatch(/^Usage: tzero <command>/);
    }
    for (const args of [['lint', '--help'], ['lint', dir, '-h']]) {
      const r = await cli(args);
      expect(r).toMatchObject({ code: 0, err: '' });
      expect(r.out.join('\n')).toMatch(/^Usage: tzero lint \[dir\|file\] \[--monitors FILE\]/);
    }
    expect((await cli(['schema', '--help'])).out.join('\n')).toMatch(/^Usage: tzero schema/);
  });

  it('refuses an unknown lint option with a suggestion', async () => {
    const r = await cli(['lint', dir, '--monitor', 'x.yml']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('tzero: unknown option --monitor; did you mean --monitors?');
  });
});
