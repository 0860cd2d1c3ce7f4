import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidRunbookError } from '../../src/errors.js';
import { loadRunbookFile, loadRunbooks, validateRunbook } from '../../src/runbooks/load.js';
import { stepRegistry } from '../../src/steps/registry.js';

// Every registered type, in table order (step types get added; the message lists them all).
const KNOWN = [...stepRegistry.keys()].join(', ');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tzero-load-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// A small valid runbook; each case below breaks one thing. Line numbers matter: keep the layout.
const HEAD = `name: demo
channel: C0CUTOVER
roles:
  lead: [U0LEAD]
vars:
  domain: example.org
secrets: [DNS_TOKEN]
steps:
`;

async function write(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

async function problemsOf(name: string, text: string): Promise<string[]> {
  const file = await write(name, text);
  const err = await loadRunbookFile(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidRunbookError);
  return (err as InvalidRunbookError).problems.map((p) => p.replace(`${dir}${path.sep}`, ''));
}

describe('loadRunbookFile', () => {
  it('returns the runbook with defaults, its sha256 and file', async () => {
    const text = `${HEAD}  - id: hello
    uses: notify
    with: { text: "hi \${{ vars.domain }}" }
`;
    const file = await write('ok.yml', text);
    const loaded = await loadRunbookFile(file);
    expect(loaded.file).toBe(file);
    expect(loaded.hash).toBe(createHash('sha256').update(text).digest('hex'));
    expect(loaded.runbook.lock).toBe('demo');
    expect(loaded.runbook.steps[0]).toMatchObject({ id: 'hello', retries: 0, on_failure: 'pause' });
    expect(loaded.runbook.can).toEqual({});
  });

  it('reports YAML syntax errors with their position', async () => {
    expect(await problemsOf('syntax.yml', `${HEAD}  - id: a\n    uses: notify\n   with: {}\n`)).toEqual([
      expect.stringMatching(/^syntax\.yml:11:1 \(yaml\): /),
    ]);
  });

  it('lists the known step types for an unknown uses', async () => {
    expect(await problemsOf('uses.yml', `${HEAD}  - id: a\n    uses: http.get\n`)).toEqual([
      `uses.yml:10:11 steps[0].uses: unknown step type "http.get"; known: ${KNOWN}`,
    ]);
  });

  it('checks each with through its step type, at the offending value', async () => {
    const text = `${HEAD}  - id: home
    uses: http.check
    with:
      url: https://\${{ vars.domain }}/
      follow_redirects: "yes"
      expect:
        status: ok
  - id: note
    uses: notify
    with: {}
`;
    expect(await problemsOf('with.yml', text)).toEqual([
      'with.yml:13:25 steps[0].with.follow_redirects: Invalid input: expected boolean, received string',
      'with.yml:15:17 steps[0].with.expect.status: Invalid input: expected number or array, received string',
      'with.yml:18:11 steps[1].with.text: required',
    ]);
  });

  it('substitutes vars before checking input, and leaves runtime values to the run', async () => {
    const text = `name: subst
channel: C0CUTOVER
vars:
  host: "not a host"
  port: 8443
secrets: [API]
steps:
  - id: sync
    uses: http.request
    with:
      url: https://\${{ secrets.API }}.example/\${{ run.id }}
      timeout: \${{ vars.port }}
      follow_redirects: \${{ steps.sync.outputs.x }}
  - id: dns
    uses: dns.check
    with:
      name: \${{ vars.host }}
      expect: ["\${{ steps.sync.outputs.ip }}"]
      resolvers: \${{ steps.sync.outputs.resolvers }}
`;
    expect(await problemsOf('subst.yml', text)).toEqual([
      'subst.yml:12:16 steps[0].with.timeout: Invalid input: expected string, received number',
      'subst.yml:13:25 steps[0].with.follow_redirects: "steps.sync" is not an earlier step (earlier: none)',
      'subst.yml:17:13 steps[1].with.name: a DNS name such as restarters.net',
    ]);
  });

  it('rejects an undeclared secret and a reserved one', async () => {
    const text = `${HEAD}  - id: a
    uses: shell
    with:
      run: deploy --token \${{ secrets.DEPLOY_TOKEN }}
`.replace('secrets: [DNS_TOKEN]', 'secrets: [DNS_TOKEN, SLACK_BOT_TOKEN]');
    expect(await problemsOf('secret.yml', text)).toEqual([
      "secret.yml:7:22 secrets[1]: SLACK_BOT_TOKEN is tzero's own configuration; a runbook cannot read it",
      'secret.yml:12:12 steps[0].with.run: secret "DEPLOY_TOKEN" is not declared in secrets: (declared: DNS_TOKEN, SLACK_BOT_TOKEN)',
    ]);
  });

  it('rejects roles that do not exist, in can and in approvers (defaults included)', async () => {
    const text = `${HEAD}  - id: go
    uses: approval
    with:
      prompt: Go?
      approvers: [lead, dba, U0DBA, W0EXT]
  - id: go-again
    uses: approval
    with: { prompt: Sure? }
can:
  start: [lead, U0OPS]
  rollback: [oncall]
`.replace('  lead: [U0LEAD]', '  ops: [U0LEAD]');
    expect(await problemsOf('roles.yml', text)).toEqual([
      'roles.yml:13:19 steps[0].with.approvers[0]: "lead" is neither a role (roles: ops) nor a Slack user id (U…/W…)',
      'roles.yml:13:25 steps[0].with.approvers[1]: "dba" is neither a role (roles: ops) nor a Slack user id (U…/W…)',
      'roles.yml:16:11 steps[1].with.approvers[0]: "lead" is neither a role (roles: ops) nor a Slack user id (U…/W…)',
      'roles.yml:18:11 can.start[0]: "lead" is neither a role (roles: ops) nor a Slack user id (U…/W…)',
      'roles.yml:19:14 can.rollback[0]: "oncall" is neither a role (roles: ops) nor a Slack user id (U…/W…)',
    ]);
  });

  it('rejects references to steps that do not run earlier, in with and in if', async () => {
    const text = `${HEAD}  - id: first
    uses: notify
    if: \${{ steps.second.outputs.ok == 'yes' }}
    with: { text: "\${{ steps.first.outputs.ts }}" }
    verify:
      uses: notify
      with: { text: "\${{ steps.first.outputs.ts }}" }
  - id: second
    uses: notify
    with: { text: "\${{ steps.first.outputs.ts }} \${{ vars.nope }}" }
    if: run.dry_run = true
`;
    expect(await problemsOf('forward.yml', text)).toEqual([
      'forward.yml:11:9 steps[0].if: "steps.second" is not an earlier step (earlier: none)',
      'forward.yml:12:19 steps[0].with.text: "steps.first" is not an earlier step (earlier: none)',
      'forward.yml:18:19 steps[1].with.text: unknown variable "vars.nope" (declared: domain)',
      'forward.yml:19:9 steps[1].if: unexpected "=" at column 13 in "run.dry_run = true"',
    ]);
  });

  it('rejects duplicate step ids, bad durations, unknown fields and a missing field', async () => {
    const text = `name: Demo
steps:
  - id: wait
    uses: wait
    with: { for: 2 minutes }
    timeout: 90
  - id: wait
    uses: wait
    timout: 5m
    with: { for: 1m30s }
    retries: -1
`;
    expect(await problemsOf('misc.yml', text)).toEqual([
      'misc.yml:1:1 channel: required',
      'misc.yml:1:7 name: use lowercase letters, digits and dashes',
      'misc.yml:5:18 steps[0].with.for: not a duration (use e.g. 90s, 2m, 1h30m)',
      'misc.yml:6:14 steps[0].timeout: Invalid input: expected string, received number',
      'misc.yml:7:9 steps[1].id: duplicate step id "wait" (first used by steps[0])',
      'misc.yml:9:5 steps[1].timout: unknown field "timout"',
      'misc.yml:11:14 steps[1].retries: Too small: expected number to be >=0',
    ]);
  });

  it('rejects an invalid duration written as text', async () => {
    expect(await problemsOf('duration.yml', `${HEAD}  - id: a\n    uses: notify\n    timeout: 1y\n    with: { text: hi }\n`)).toEqual([
      'duration.yml:11:14 steps[0].timeout: not a duration (use e.g. 90s, 2m, 1h30m)',
    ]);
  });

  it('rejects a document that is not a mapping', async () => {
    expect(await problemsOf('list.yml', '- just\n- a list\n')).toEqual(['list.yml:1:1 (root): Invalid input: expected object, received array']);
  });
});

describe('validateRunbook', () => {
  it('validates an already-parsed object; problems carry no position then', () => {
    expect(() => validateRunbook({ name: 'x', channel: 'C1', steps: [{ id: 'a', uses: 'nope' }] })).toThrow(InvalidRunbookError);
    try {
      validateRunbook({ name: 'x', channel: 'C1', steps: [{ id: 'a', uses: 'nope' }] });
    } catch (err) {
      expect((err as InvalidRunbookError).problems).toEqual([expect.stringMatching(/^steps\[0\]\.uses: unknown step type "nope"/)]);
    }
    expect(validateRunbook({ name: 'x', channel: 'C1', lock: 'site', steps: [{ id: 'a', uses: 'wait', with: { for: '1s' } }] }).lock).toBe('site');
  });
});

describe('loadRunbooks', () => {
  it('loads every *.yml / *.yaml, reports invalid files and a repeated name in the later file', async () => {
    const sub = await mkdtemp(path.join(dir, 'many-'));
    const one = (name: string) => `name: ${name}\nchannel: C0CUTOVER\nsteps:\n  - { id: a, uses: wait, with: { for: 1s } }\n`;
    await writeFile(path.join(sub, 'a.yml'), one('alpha'));
    await writeFile(path.join(sub, 'b.yaml'), one('beta'));
    await writeFile(path.join(sub, 'c.yml'), `# the same name again\n${one('alpha')}`);
    await writeFile(path.join(sub, 'd.yml'), 'name: [\n');
    await writeFile(path.join(sub, 'notes.txt'), 'not a runbook');
    // Kubernetes mounts ConfigMap keys as symlinks; a dangling one is reported, not fatal.
    await writeFile(path.join(sub, 'target'), one('gamma'));
    await symlink(path.join(sub, 'target'), path.join(sub, 'e.yml'));
    await symlink(path.join(sub, 'gone'), path.join(sub, 'f.yml'));
    await mkdir(path.join(sub, 'g.yml'));
    const { runbooks, invalid } = await loadRunbooks(sub);
    expect([...runbooks.keys()]).toEqual(['alpha', 'beta', 'gamma']);
    expect(runbooks.get('alpha')!.file).toBe(path.join(sub, 'a.yml'));
    expect(invalid.map((i) => path.basename(i.file))).toEqual(['c.yml', 'd.yml', 'f.yml']);
    expect(invalid[2]!.problems).toEqual([expect.stringMatching(/f\.yml:1:1 \(file\): cannot read: ENOENT/)]);
    expect(invalid[0]!.problems).toEqual([`${path.join(sub, 'c.yml')}:2:7 name: duplicate runbook name "alpha" (also in ${path.join(sub, 'a.yml')})`]);
    expect(invalid[1]!.problems[0]).toMatch(/d\.yml:\d+:\d+ \(yaml\): /);
  });

  it('accepts every runbook in examples/runbooks', async () => {
    const { runbooks, invalid } = await loadRunbooks('examples/runbooks');
    expect(invalid).toEqual([]);
    expect(runbooks.size).toBeGreaterThan(0);
  });

  it('reads the Restarters go-live example as operators will run it', async () => {
    const { runbook } = await loadRunbookFile('examples/runbooks/restarters-go-live.yml');
    expect(runbook.steps.map((s) => `${s.id}:${s.uses}`)).toEqual([
      'announce:notify',
      'maintenance-on:shell',
      'final-sync:shell',
      'go-no-go:approval',
      'dns-a:http.request',
      'dns-aaaa:http.request',
      'dns-propagated:dns.check',
      'smoke-home:http.check',
      'smoke-api:http.check',
      'queue-worker:shell',
      'failed-jobs:shell',
      'hand-over:notify',
    ]);
    const maintenance = runbook.steps[1]!;
    expect(maintenance.with.run).toBe('ssh restart-sp "php artisan down --retry=60"');
    expect(maintenance.undo).toEqual({ uses: 'shell', with: { run: 'ssh restart-sp "php artisan up"', timeout: '2m' } });
    expect(runbook.steps[7]!.with.expect).toEqual({ status: 200, headers: { 'strict-transport-security': 'max-age=\\d+' } });
    expect(runbook.lock).toBe('restarters-go-live');
  });
});
