import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EmulatorClient } from '../../emulator/client.js';
import type { Emulator } from '../../emulator/server.js';
import { startBolt, type TestBot } from './bolt-bot.js';
import { startTestEmulator } from './helpers.js';

let emu: Emulator;
let bot: TestBot;
let slack: EmulatorClient;

beforeAll(async () => {
  emu = await startTestEmulator();
  bot = await startBolt(emu);
  emu.setBotUrl(bot.url);
  slack = new EmulatorClient(emu.url);
});
afterAll(async () => {
  await bot.stop();
  await emu.close();
});
beforeEach(() => slack.reset());

describe('signed deliveries to a real Bolt app', () => {
  it('delivers a slash command as flat form fields, shows the ack ephemeral and serves respond()', async () => {
    const result = await slack.command({ user: 'lead', channel: 'cutover', text: 'hello world' });
    expect(result.status).toBe(200);
    expect(result.body).toBe('Got: hello world');
    const cmd = bot.seen.commands.at(-1)!;
    expect(cmd).toMatchObject({
      command: '/cutover', text: 'hello world', user_id: 'U0LEAD', user_name: 'lead', channel_id: 'C0CUTOVER',
      channel_name: 'cutover', team_id: 'T0TZERO', api_app_id: 'A0TZERO', trigger_id: result.triggerId,
    });
    expect(String(cmd.response_url)).toMatch(new RegExp(`^${emu.url}/_emu/response/`));
    expect((await slack.ephemerals('lead')).map((e) => e.text)).toEqual(['Got: hello world']);
    const posted = await slack.waitFor(async (c) => (await c.messages('cutover')).find((m) => m.text.includes('ran hello world')));
    expect(posted.text).toBe('<@U0LEAD> ran hello world');
    expect(await slack.ephemerals('second')).toEqual([]);
  });

  it('delivers block_actions with container, message and action, and applies replace_original', async () => {
    await slack.command({ user: 'lead', channel: 'cutover', text: 'plan' });
    const plan = await slack.waitFor(async (c) => (await c.messages('cutover'))[0]);
    const result = await slack.click({ user: 'second', channel: 'cutover', ts: plan.ts, action_id: 'approve' });
    expect(result.status).toBe(200);
    const body = bot.seen.actions.at(-1)!;
    expect(body).toMatchObject({
      type: 'block_actions', api_app_id: 'A0TZERO', trigger_id: result.triggerId,
      user: { id: 'U0SECOND', username: 'second' }, team: { id: 'T0TZERO' }, channel: { id: 'C0CUTOVER', name: 'cutover' },
      container: { type: 'message', message_ts: plan.ts, channel_id: 'C0CUTOVER', is_ephemeral: false },
      message: { ts: plan.ts, text: 'Plan', blocks: plan.blocks },
      actions: [{ action_id: 'approve', block_id: 'plan_actions', value: 'run-42', type: 'button', text: { type: 'plain_text', text: 'Approve' } }],
      state: { values: {} },
    });
    expect((body.actions as Array<{ action_ts: string }>)[0].action_ts).toMatch(/^\d{10}\.\d{6}$/);
    const replaced = await slack.waitFor(async (c) => (await c.messages('cutover')).find((m) => m.ts === plan.ts && m.text.startsWith('Approved')));
    expect(replaced.text).toBe('Approved by <@U0SECOND>');
    expect(replaced.blocks).toBeUndefined();
  });

  it('delivers clicks on ephemerals without a message, and delete_original removes the ephemeral', async () => {
    await slack.command({ user: 'comms', channel: 'cutover', text: 'private' });
    const eph = await slack.waitFor(async (c) => (await c.ephemerals('comms'))[0]);
    await expect(slack.click({ user: 'lead', channel: 'cutover', ts: eph.ts, action_id: 'approve' })).rejects.toThrow(/message_not_found/);
    await slack.click({ user: 'comms', channel: 'cutover', ts: eph.ts, action_id: 'approve' });
    const body = bot.seen.actions.at(-1)!;
    expect(body.container).toMatchObject({ is_ephemeral: true, message_ts: eph.ts });
    expect(body.message).toBeUndefined();
    await slack.waitFor(async (c) => (await c.ephemerals('comms')).length === 0);
  });

  it('runs a modal: views.open from the command trigger, errors keep it open, empty ack closes it', async () => {
    await slack.command({ user: 'lead', channel: 'cutover', text: 'start' });
    const [view] = await slack.waitFor(async (c) => { const v = await c.openViews('lead'); return v.length ? v : undefined; });
    expect(view.view).toMatchObject({ callback_id: 'start', private_metadata: 'run-42' });

    await expect(slack.submitView({ user: 'lead', view_id: view.id, values: {} })).resolves.toMatchObject({ outcome: 'blocked' });
    const tooShort = await slack.submitView({ user: 'lead', view_id: view.id, values: { reason: { value: 'no' } } });
    expect(tooShort).toMatchObject({ status: 200, outcome: 'errors', errors: { reason: 'Give a longer reason' } });
    expect((await slack.openViews('lead'))[0].errors).toEqual({ reason: 'Give a longer reason' });

    const ok = await slack.submitView({ user: 'lead', view_id: view.id, values: { value: 'planned window' } });
    expect(ok).toMatchObject({ status: 200, outcome: 'closed' });
    const body = bot.seen.views.at(-1)!;
    expect(body).toMatchObject({
      type: 'view_submission', user: { id: 'U0LEAD' },
      view: { id: view.id, callback_id: 'start', private_metadata: 'run-42',
        state: { values: { reason: { value: { type: 'plain_text_input', value: 'planned window' } } } } },
    });
    expect(await slack.openViews('lead')).toEqual([]);
    await slack.waitFor(async (c) => (await c.messages('cutover')).find((m) => m.text === 'Cutover run-42 started: planned window'));
  });

  it('records no validation failures and no failed API calls for a well-behaved bot', async () => {
    await slack.command({ user: 'lead', channel: 'cutover', text: 'plan' });
    await slack.waitFor(async (c) => (await c.messages('cutover')).length === 1);
    const state = await slack.state();
    expect(state.validationFailures).toEqual([]);
    expect(state.apiCalls.filter((c) => !c.ok)).toEqual([]);
    expect(state.apiCalls.map((c) => c.method)).toContain('chat.postMessage');
  });
});

describe('delivery failures', () => {
  it('shows dispatch_failed when Bolt rejects our signature (wrong secret)', async () => {
    const other = await startTestEmulator({ signingSecret: 'not-the-bots-secret' });
    other.setBotUrl(bot.url);
    try {
      const client = new EmulatorClient(other.url);
      const result = await client.command({ user: 'lead', channel: 'cutover', text: 'hello' });
      expect(result.status).toBe(401);
      expect((await client.ephemerals('lead')).map((e) => e.text)).toEqual(['/cutover failed with the error "dispatch_failed"']);
    } finally {
      await other.close();
    }
  });

  it('shows operation_timeout when the bot does not ack in time', async () => {
    const impatient = await startTestEmulator({ ackTimeoutMs: 150 });
    impatient.setBotUrl(bot.url);
    try {
      const client = new EmulatorClient(impatient.url);
      const result = await client.command({ user: 'lead', channel: 'cutover', text: 'slow' });
      expect(result.status).toBe(0);
      expect((await client.ephemerals('lead')).map((e) => e.text)).toEqual(['/cutover failed with the error "operation_timeout"']);
    } finally {
      await impatient.close();
    }
  });
});

describe('response_url', () => {
  it('allows 5 uses, then answers 404', async () => {
    const { responseUrl } = await slack.command({ user: 'lead', channel: 'alerts', text: 'x' });
    // respond() in the bot already used it once.
    await slack.waitFor(async (c) => (await c.messages('alerts')).length === 1);
    const post = (i: number) => fetch(responseUrl!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: `r${i}` }) });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(i)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 404]);
    expect((await slack.ephemerals('lead')).map((e) => e.text)).toEqual(['Got: x', 'r0', 'r1', 'r2', 'r3']);
  });

  it('rejects invalid blocks with 400 and records the failure', async () => {
    const { responseUrl } = await slack.command({ user: 'lead', channel: 'alerts', text: 'y' });
    const res = await fetch(responseUrl!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ blocks: [{ type: 'nope' }] }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect((await slack.state()).validationFailures.at(-1)?.source).toBe('response_url');
  });
});
