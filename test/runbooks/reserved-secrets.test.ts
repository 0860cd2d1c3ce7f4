// A runbook cannot read tzero's own configuration as a "secret": refused at validation (lint,
// boot listing, /cutover start) with file:line:col field.path, and never served at run time.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { loadConfig } from '../../src/config.js';
import { loadRunbooks } from '../../src/runbooks/load.js';
import { isReservedEnv } from '../../src/reserved-env.js';

let dir: string;
beforeAll(async () => void (dir = await mkdtemp(path.join(os.tmpdir(), 'tzero-reserved-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

const RUNBOOK = `name: greedy
channel: C0CUTOVER
secrets:
  - DNS_TOKEN
  - SLACK_BOT_TOKEN
  - SENTRY_CLIENT_SECRET
  - REDIS_URL
  - QUEUE_DB_URL
  - GITHUB_TOKEN
  - ALERTMANAGER_TOKEN
  - SLACK_WEBHOOK_FUTURE
steps:
  - id: a
    uses: shell
    with: { run: 'echo "\${{ secrets.QUEUE_DB_URL }}"' }
`;
const MONITORS = `queues:
  - id: orders-queue
    source: { sql: { url_env: QUEUE_DB_URL, query: "SELECT count(*) FROM jobs" } }
    every: 30s
    above: 10
`;

describe('tzero configuration cannot be read as a runbook secret', () => {
  it('refuses the Slack tokens, SENTRY_CLIENT_SECRET, REDIS_URL, coming tokens and a monitor url_env, at lint with file:line:col', async () => {
    const runbooks = path.join(dir, 'runbooks');
    await mkdir(runbooks);
    await writeFile(path.join(runbooks, 'greedy.yml'), RUNBOOK);
    const monitors = path.join(dir, 'monitors.yml');
    await writeFile(monitors, MONITORS);
    const out: string[] = [];
    const code = await main(['lint', runbooks], { out: (l) => out.push(l), err: (l) => out.push(l), env: { MONITORS_FILE: monitors } });
    expect(code).toBe(1);
    const file = path.join(runbooks, 'greedy.yml');
    expect(out.filter((l) => l.includes('secrets['))).toEqual([
      `${file}:5:5 secrets[1]: SLACK_BOT_TOKEN is tzero's own configuration; a runbook cannot read it`,
      `${file}:6:5 secrets[2]: SENTRY_CLIENT_SECRET is tzero's own configuration; a runbook cannot read it`,
      `${file}:7:5 secrets[3]: REDIS_URL is tzero's own configuration; a runbook cannot read it`,
      `${file}:8:5 secrets[4]: QUEUE_DB_URL is read by a monitor (url_env); a runbook cannot read it`,
      `${file}:9:5 secrets[5]: GITHUB_TOKEN is tzero's own configuration; a runbook cannot read it`,
      `${file}:10:5 secrets[6]: ALERTMANAGER_TOKEN is tzero's own configuration; a runbook cannot read it`,
      `${file}:11:5 secrets[7]: SLACK_WEBHOOK_FUTURE is tzero's own configuration; a runbook cannot read it`,
    ]);
    // The same check where the engine lists and starts runbooks (boot and /cutover start).
    const { invalid } = await loadRunbooks(runbooks, { monitorsFile: monitors });
    expect(invalid[0]!.problems.join('\n')).toContain('secrets[4]: QUEUE_DB_URL is read by a monitor (url_env)');
  });

  it('never serves them at run time either, from one deny list', () => {
    // A token or a whole GitHub App (loadConfig refuses both at once, and a PEM that is not one).
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----';
    const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', REDIS_URL: 'redis://:pw@127.0.0.1:6379', METRICS_TOKEN: 'metrics-token-0123456789', DNS_TOKEN: 'dns' };
    const config = loadConfig({ ...base, GITHUB_APP_ID: '1', GITHUB_APP_INSTALLATION_ID: '2', GITHUB_APP_PRIVATE_KEY: pem });
    for (const name of ['REDIS_URL', 'METRICS_TOKEN', 'GITHUB_APP_PRIVATE_KEY', 'SLACK_BOT_TOKEN']) {
      expect(config.secretEnv(name), name).toBeUndefined();
      expect(isReservedEnv(name), name).toBe(true);
    }
    expect(loadConfig({ ...base, GITHUB_TOKEN: 'ghp_x' }).secretEnv('GITHUB_TOKEN')).toBeUndefined();
    expect(isReservedEnv('GITHUB_TOKEN')).toBe(true);
    expect(config.secretEnv('DNS_TOKEN')).toBe('dns');
  });
});
