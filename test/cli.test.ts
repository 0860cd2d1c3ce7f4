import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepRegistry } from '../src/steps/registry.js';

// Every registered type, in table order (step types get added; the message lists them all).
const KNOWN = [...stepRegistry.keys()].join(', ');

const run = promisify(execFile);
const BIN = path.resolve('bin/tzero.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function tzero(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  const { RUNBOOKS_DIR: _, ...base } = process.env;
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: dir, env: { ...base, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;
const EXAMPLES = path.resolve('examples/runbooks');
const GOOD = 'name: good\nchannel: C0CUTOVER\nsteps:\n  - id: pause\n    uses: wait\n    with: { for: 1s }\n';
const BAD = 'name: bad\nchannel: C0CUTOVER\nsteps:\n  - id: pause\n    uses: wait\n    with: { for: soon }\n  - id: pause\n    uses: sleep\n';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tzero-cli-'));
  await writeFile(path.join(dir, 'good.yml'), GOOD);
  await writeFile(path.join(dir, 'bad.yaml'), BAD);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.concurrent('tzero lint', () => {
  it('exits 0 on the example runbooks', async () => {
    const result = await tzero(['lint', EXAMPLES]);
    expect(result).toEqual({ code: 0, stdout: `${EXAMPLES}: 5 runbooks checked, 5 valid\n`, stderr: '' });
  });

  it('prints file:line:col field.path: message per problem, a summary, and exits 1', async () => {
    const result = await tzero(['lint', '.']);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')).toEqual([
      'bad.yaml:6:18 steps[0].with.for: not a duration (use e.g. 90s, 2m, 1h30m)',
      'bad.yaml:7:9 steps[1].id: duplicate step id "pause" (first used by steps[0])',
      `bad.yaml:8:11 steps[1].uses: unknown step type "sleep"; known: ${KNOWN}`,
      '.: 2 runbooks checked, 1 valid, 1 invalid (3 problems)',
      '',
    ]);
  });

  it('lints one file', async () => {
    expect((await tzero(['lint', 'good.yml'])).code).toBe(0);
    const bad = await tzero(['lint', 'bad.yaml']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('bad.yaml: 1 runbook checked, 0 valid, 1 invalid (3 problems)');
  });

  it('defaults to RUNBOOKS_DIR, then ./runbooks', async () => {
    expect(await tzero(['lint'], { RUNBOOKS_DIR: EXAMPLES })).toMatchObject({ code: 0, stdout: `${EXAMPLES}: 5 runbooks checked, 5 valid\n` });
    const missing = await tzero(['lint']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^tzero lint: cannot read \.\/runbooks: ENOENT/);
  });

  it('fails on a folder without runbooks', async () => {
    const empty = await mkdtemp(path.join(dir, 'empty-'));
    const result = await tzero(['lint', empty]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no *.yml or *.yaml files in ${empty}`);
  });
});

describe.concurrent('tzero schema, help and usage errors', () => {
  it('prints the JSON Schema', async () => {
    const result = await tzero(['schema']);
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout);
    expect(schema.title).toBe('tzero runbook (format v1)');
    expect(schema.properties.steps.items.properties.uses.enum).toContain('http.check');
  });

  it('prints help', async () => {
    const result = await tzero(['help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: tzero <command>/);
    expect(result.stdout).toContain('lint [dir|file]');
  });

  it('exits 2 with the usage on an unknown command or no command', async () => {
    for (const args of [['deploy'], []]) {
      const result = await tzero(args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('Usage: tzero <command>');
    }
  });
});
