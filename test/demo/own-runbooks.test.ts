// Issue #6 §9: `npm run demo -- --runbooks DIR` runs the emulator and tzero on your own runbooks,
// with their users and channels; `--help` prints usage; typos are refused with a suggestion.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_USAGE, parseDemoArgs } from '../../demo/demo-args.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../../demo/demo-stack.js';
import { startOwnStack, type OwnStack } from '../../demo/own-stack.js';

describe('demo options', () => {
  it('parses --runbooks, --monitors, --users and --channels', () => {
    expect(parseDemoArgs(['--runbooks', './mine', '--users', 'U0ALICE=alice,U0BOB', '--channels=C0OPS=ops'])).toEqual({
      help: false, auto: false, runbooks: './mine',
      users: [{ id: 'U0ALICE', name: 'alice' }, { id: 'U0BOB', name: 'u0bob' }],
      channels: [{ id: 'C0OPS', name: 'ops' }],
    });
  });

  it('refuses typos and misplaced options', () => {
    expect(() => parseDemoArgs(['--runbook', 'x'])).toThrow('unknown option --runbook; did you mean --runbooks?');
    expect(() => parseDemoArgs(['--users', 'alice'])).toThrow('--users: "alice" should read ID=name');
    expect(() => parseDemoArgs(['--auto', '--runbooks', 'x'])).toThrow('cannot be combined');
  });

  it('documents the credentials the demo really uses, in --help and the README', () => {
    expect(DEMO_USAGE).toContain(`signing secret ${SIGNING_SECRET}`);
    expect(DEMO_USAGE).toContain(`bot token ${BOT_TOKEN}`);
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain('npm run demo -- --runbooks ./my-runbooks');
    expect(readme).toContain(`signing secret \`${SIGNING_SECRET}\``);
    expect(readme).toContain(`bot token \`${BOT_TOKEN}\``);
    expect(readme).toContain('--users U0ALICE=alice,U0BOB=bob --channels C0OPS=ops');
  });

  it('npm run demo -- --help prints usage and exits 0 without starting anything', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'demo/run-demo.ts', '--help']);
    expect(stdout).toMatch(/^Usage: npm run demo -- \[options\]/);
    expect(stdout).toContain('--runbooks DIR');
  });
});

describe('npm run demo -- --runbooks DIR', () => {
  let stack: OwnStack | undefined;
  afterAll(() => stack?.close());

  it('serves your runbooks, with their users and channels in the emulator', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tzero-own-'));
    writeFileSync(path.join(dir, 'ops.yml'), `name: ops-move
channel: C0OPS
roles: { lead: [U0ALICE] }
vars: { version: v9 }
steps:
  - { id: hello, name: "Say \${{ vars.version }}", uses: notify, with: { text: "moving" } }
`);
    writeFileSync(path.join(dir, 'monitors.yml'), 'health: []\n');
    stack = await startOwnStack(parseDemoArgs(['--runbooks', dir, '--users', 'U0BOB=bob']), { ...process.env, EMULATOR_PORT: '0' });
    expect(stack.runbooks).toEqual(['ops-move']);
    expect(stack.invalid).toEqual([]); // the monitors file beside the runbooks is not one
    const state = await stack.slack.state();
    expect(state.users.map((u) => u.id)).toEqual(expect.arrayContaining(['U0LEAD', 'U0ALICE', 'U0BOB']));
    expect(state.channels.map((c) => c.id)).toEqual(expect.arrayContaining(['C0CUTOVER', 'C0OPS']));

    await stack.slack.command({ user: 'U0ALICE', channel: 'C0OPS', text: 'start ops-move' });
    const card = await stack.slack.waitFor(async (c) => (await c.messages('C0OPS')).find((m) => JSON.stringify(m.blocks).includes('*Say v9* done')), 15_000);
    expect(card.text).toContain('ops-move');
  });
});
