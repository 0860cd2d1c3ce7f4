// Redis goes away and comes back: a command during the outage is answered at once and never
// carried out later; /readyz recovers quickly; a shell step that finished meanwhile keeps its
// result; a Redis that comes back empty is noticed, repaired and reported.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { keys } from '../../src/engine/keys.js';
import { RunStore } from '../../src/engine/run-store.js';
import { RedisAlertInbox } from '../../src/alerts/inbox.js';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

let sys: System | undefined;
let redisServer: PrivateRedis | undefined;
const clients: Redis[] = [];
afterEach(async () => {
  await sys?.stop();
  for (const c of clients.splice(0)) c.disconnect();
  await redisServer?.stop();
  sys = redisServer = undefined;
});

const RUNBOOK = `
name: quick
channel: C0CUTOVER
roles: { lead: [U0LEAD], second: [U0SECOND] }
steps:
  - { id: hello, uses: notify, with: { text: "hello" } }
`;

async function setup(runbooks: Record<string, string>, persist = true) {
  redisServer = await startPrivateRedis(persist ? { persistDir: mkdtempSync(path.join(os.tmpdir(), 'tz-redis-')) } : {});
  sys = await startSystem({ runbooks, env: { REDIS_URL: redisServer.url } });
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  clients.push(redis);
  const store = new RunStore(redis, keys(sys.prefix));
  return { redis, store };
}

async function readyz(url: string): Promise<{ status: number; body: { problems: string[]; lost?: string[] } } | null> {
  try {
    const res = await fetch(url.replace('/slack/events', '/readyz'));
    return { status: res.status, body: (await res.json()) as { problems: string[]; lost?: string[] } };
  } catch {
    return null;
  }
}

async function restart(): Promise<void> {
  const { port, dir } = redisServer!;
  await redisServer!.stop();
  redisServer = await startPrivateRedis({ port, persistDir: dir });
}

describe('Redis outage', () => {
  it('answers a /cutover start during the outage at once, and never carries it out later', async () => {
    const { redis } = await setup({ 'quick.yml': RUNBOOK });
    const bot = await sys!.startBot();
    const url = sys!.botUrls.at(-1)!;
    await waitUntil(async () => (await readyz(url))?.status === 200, 15_000, 'ready');
    const { port, dir } = redisServer!;
    await redisServer!.stop();
    await sys!.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: 'start quick' });
    const reply = await waitUntil(async () => (await sys!.slack.ephemerals('U0SECOND')).find((e) => /Redis is unreachable; nothing was started/.test(e.text)), 10_000, 'the refusal');
    expect(reply).toBeTruthy();
    await waitUntil(async () => (await readyz(url))?.body.problems.includes('redis unreachable'), 10_000, 'not ready');
    redisServer = await startPrivateRedis({ port, persistDir: dir });
    // Back: ready again, soon (today 45–55 s; the bench measures it).
    const back = Date.now();
    await waitUntil(async () => (await readyz(url))?.status === 200, 15_000, 'ready again');
    console.log('ready after', Date.now() - back);
    // The outbox has delivered everything it had; the refused start left nothing behind.
    await waitUntil(() => bot.outbox.idle(), 10_000, 'outbox idle');
    expect(await redis.get(keys(sys!.prefix).channelRun('C0CUTOVER'))).toBeNull();
    expect((await sys!.slack.messages('C0CUTOVER')).length).toBe(0);
  }, 90_000);

  it('keeps the result of a shell step that finished while Redis was down, and goes on', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tz-outage-'));
    const text = `
name: sync
channel: C0CUTOVER
roles: { lead: [U0LEAD], second: [U0SECOND] }
vars: { dir: "${dir}" }
steps:
  - id: copy
    uses: shell
    with: { run: 'touch "\${{ vars.dir }}/started"; while [ ! -e "\${{ vars.dir }}/go" ]; do sleep 0.1; done; echo rows=42 >> "$TZERO_OUTPUT"; touch "\${{ vars.dir }}/finished"' }
  - { id: after, uses: notify, with: { text: "rows \${{ steps.copy.outputs.rows }}" } }
`;
    const { store } = await setup({ 'sync.yml': text });
    await sys!.startBot();
    const url = sys!.botUrls.at(-1)!;
    await sys!.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: 'start sync' });
    await waitUntil(() => existsSync(path.join(dir, 'started')), 15_000, 'step started');
    const { port, dir: data } = redisServer!;
    await redisServer!.stop();
    await waitUntil(async () => (await readyz(url))?.body.problems.includes('redis unreachable'), 10_000, 'not ready');
    writeFileSync(path.join(dir, 'go'), ''); // the command finishes during the outage
    // The outage outlasts the job's lock (5 s), so BullMQ hands the job out again when Redis is
    // back, as after a crash: the scenario that used to throw the result away as in doubt.
    await new Promise((r) => setTimeout(r, 7000));
    await waitUntil(() => existsSync(path.join(dir, 'finished')), 10_000, 'step finished');
    redisServer = await startPrivateRedis({ port, persistDir: data });
    const runId = await waitUntil(async () => (await store.recent(1))[0]?.id, 15_000, 'run');
    const run = await waitUntil(async () => { const r = await store.get(runId); return r && ['succeeded', 'paused', 'failed'].includes(r.status) ? r : null; }, 30_000, 'run ended');
    const copy = run.steps.find((s) => s.id === 'copy')!;
    expect(copy.status).toBe('done'); // not in doubt: its result was kept
    expect(copy.outputs.rows).toBe('42');
    expect(run.status).toBe('succeeded');
  }, 90_000);

  it('notices a Redis that came back empty: recreates the relay\'s consumer group and says in /readyz what was lost', async () => {
    const text = RUNBOOK.replace('steps:', 'steps:\n  - { id: gate, uses: approval, with: { prompt: "Go?", approvers: [lead] } }');
    const { redis, store } = await setup({ 'quick.yml': text }, false);
    await sys!.startBot();
    const url = sys!.botUrls.at(-1)!;
    await sys!.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: 'start quick' });
    const runId = await waitUntil(async () => { const r = (await store.recent(1))[0]; return r?.steps[0]?.status === 'awaiting_approval' ? r.id : null; }, 15_000, 'run waiting');
    await new Promise((r) => setTimeout(r, 2500)); // the loss watch samples the active runs every 2 s
    const { port } = redisServer!;
    await redisServer!.stop();
    redisServer = await startPrivateRedis({ port }); // same address, no data: a flushed Redis, or a failover that missed writes
    const ready = await waitUntil(async () => { const r = await readyz(url); return r?.status === 200 && r.body.lost ? r : null; }, 20_000, 'ready, saying what was lost');
    expect(ready.body.lost![0]).toMatch(/Redis came back empty/);
    expect(ready.body.lost![0]).toContain(runId);
    expect(ready.body.lost![0]).toMatch(/consumer group recreated/);
    // The relay consumes the inbox again (today: NOGROUP every 500 ms, forever).
    const inbox = new RedisAlertInbox(redis, sys!.prefix);
    const event = { id: 'after-flush-1', source: 'health' as const, fingerprint: 'health:site', group: 'health:site', status: 'firing' as const, severity: 'critical' as const, title: 'site is down', details: [], at: Date.now() };
    expect(await inbox.accept(event)).toBe(true);
    await waitUntil(async () => (await redis.exists(`${sys!.prefix}:alerts:relayed:after-flush-1`)) === 1, 15_000, 'event relayed');
  }, 90_000);
});
