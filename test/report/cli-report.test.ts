// `npx tzero report` through the real bin: reads a run and its audit stream from Redis
// (REDIS_URL, TZERO_KEY_PREFIX), prints Markdown or JSON or writes --out; --schema needs no Redis.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keys } from '../../src/engine/keys.js';
import { RunStore } from '../../src/engine/run-store.js';
import { Report } from '../../src/report/schema.js';
import { makeRun, makeStep, T0 } from '../support/run-fixture.js';

const exec = promisify(execFile);
const BIN = path.resolve('bin/tzero.js');
const prefix = `t${randomUUID().slice(0, 8)}`;
const redis = new Redis(process.env.REDIS_URL!);
const run = makeRun({ status: 'succeeded', endedAt: T0 + 600_000, steps: [makeStep('final-sync', { status: 'done', startedAt: T0, endedAt: T0 + 552_000, summary: 'synced | 1200 rows' })] });
run.runbook.steps[0]!.estimate = '6m';

async function tzero(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], { env: { ...process.env, TZERO_KEY_PREFIX: prefix, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  const store = new RunStore(redis, keys(prefix));
  await store.create({ ...run, status: 'running', endedAt: undefined, steps: [makeStep('final-sync', { status: 'running', startedAt: T0 })] });
  await store.update(run.id, (r) => void Object.assign(r, { ...run, version: r.version }));
});
afterAll(() => redis.quit());

it('prints the Markdown report of a run from Redis, planned vs actual included', async () => {
  const res = await tzero(['report', run.id]);
  expect(res.code).toBe(0);
  expect(res.stdout).toContain(`# Orders DB cutover: run ${run.id}`);
  expect(res.stdout).toMatch(/\| final-sync \| done \| 1 \| 9m12s, planned 6m \| over estimate \|/);
  expect(res.stdout).toMatch(/\| final-sync \| tzero \| done \| 9m12s \| synced \\\| 1200 rows \|/);
});

it('writes the JSON report to --out, in the documented shape', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tz-report-cli-'));
  const out = path.join(dir, 'r.json');
  const res = await tzero(['report', run.id, '--format', 'json', '--out', out]);
  expect(res).toMatchObject({ code: 0, stdout: '' });
  const report = Report.parse(JSON.parse(await readFile(out, 'utf8')));
  expect(report.steps[0]).toMatchObject({ id: 'final-sync', duration_ms: 552_000, estimate_ms: 360_000, over_estimate: true });
  expect(report.timeline.map((t) => t.event)).toEqual(['run_planned', 'run_started', 'step_ended', 'run_ended']);
});

it('prints the JSON Schema without Redis, says in --help that it needs Redis, and fails plainly on a missing run', async () => {
  const schema = await tzero(['report', '--schema'], { REDIS_URL: 'redis://127.0.0.1:1' });
  expect(schema.code).toBe(0);
  const json = JSON.parse(schema.stdout);
  expect(json.properties.timeline.type).toBe('array');
  expect(json.required).toEqual(expect.arrayContaining(['run', 'timeline', 'steps', 'approvals', 'sign_offs', 'alerts', 'planned_vs_actual']));
  expect((await tzero(['report', '--help'])).stdout).toMatch(/only tzero command that needs\s+Redis/);
  expect((await tzero(['help'])).stdout).toMatch(/report <run>[\s\S]*needs\s+Redis/);
  const missing = await tzero(['report', 'nope42']);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('there is no run "nope42"');
  expect((await tzero(['report', run.id, '--format', 'pdf'])).code).toBe(2);
  const down = await tzero(['report', run.id], { REDIS_URL: 'redis://127.0.0.1:1' });
  expect(down.code).toBe(1);
});
