import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/server.js';
import { md, slackError, startTestEmulator, text, webClient } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());

describe('Web API through a real @slack/web-api WebClient', () => {
  it('answers auth.test with the bot identity', async () => {
    const res = await webClient(emu).auth.test();
    expect(res).toMatchObject({ ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0TZERO' });
  });

  it('requires the Bearer bot token', async () => {
    expect(await slackError(webClient(emu, null).auth.test())).toEqual({ ok: false, error: 'not_authed' });
    expect(await slackError(webClient(emu, 'xoxb-wrong').auth.test())).toEqual({ ok: false, error: 'invalid_auth' });
    const calls = emu.store.apiCalls.filter((c) => c.method === 'auth.test');
    expect(calls.map((c) => c.error)).toEqual(expect.arrayContaining(['not_authed', 'invalid_auth']));
  });

  it('sends the exact error body over HTTP 200', async () => {
    const res = await fetch(`${emu.apiUrl}auth.test`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"ok":false,"error":"not_authed"}');
  });

  it('keeps message metadata and returns it from conversations.history / .replies only with include_all_metadata', async () => {
    const client = webClient(emu);
    const metadata = { event_type: 'tzero_message', event_payload: { key: 'run.card' } };
    const parent = await client.chat.postMessage({ channel: 'C0ALERTS', text: 'with metadata', metadata });
    expect(parent.message).toMatchObject({ metadata });
    await client.chat.postMessage({ channel: 'C0ALERTS', text: 'reply', thread_ts: parent.ts!, metadata: { event_type: 'tzero_message', event_payload: { key: 'run.step' } } });
    const plain = await client.conversations.history({ channel: 'C0ALERTS' });
    expect(plain.messages!.find((m) => m.ts === parent.ts)).not.toHaveProperty('metadata');
    const full = await client.conversations.history({ channel: 'C0ALERTS', include_all_metadata: true, oldest: String(Number(parent.ts) - 1) });
    expect(full.messages!.find((m) => m.ts === parent.ts)).toMatchObject({ metadata });
    const later = await client.conversations.history({ channel: 'C0ALERTS', oldest: parent.ts! });
    expect(later.messages!.some((m) => m.ts === parent.ts)).toBe(false); // oldest is exclusive
    const thread = await client.conversations.replies({ channel: 'C0ALERTS', ts: parent.ts!, include_all_metadata: true });
    expect(thread.messages!.map((m) => (m as { metadata?: { event_payload?: { key?: string } } }).metadata?.event_payload?.key)).toEqual(['run.card', 'run.step']);
    expect(await slackError(client.chat.postMessage({ channel: 'C0ALERTS', text: 'x', metadata: { event_type: 'no spaces allowed', event_payload: {} } }))).toMatchObject({ error: 'invalid_metadata_schema' });
  });

  it('posts, threads and updates messages with Slack ts values', async () => {
    const client = webClient(emu);
    const parent = await client.chat.postMessage({ channel: 'C0CUTOVER', text: 'Cutover started', blocks: [{ type: 'section', text: md('*Cutover* started') }] });
    expect(parent.ok).toBe(true);
    expect(parent.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(parent.message).toMatchObject({ type: 'message', bot_id: 'B0BOT', text: 'Cutover started' });
    const reply = await client.chat.postMessage({ channel: 'C0CUTOVER', text: 'Step 1/3 done', thread_ts: parent.ts });
    expect(reply.ts).not.toBe(parent.ts);
    expect(reply.message?.thread_ts).toBe(parent.ts);
    expect(await slackError(client.chat.postMessage({ channel: 'C0CUTOVER', text: 'x', thread_ts: reply.ts! }))).toMatchObject({ error: 'thread_not_found' });

    const updated = await client.chat.update({ channel: 'C0CUTOVER', ts: parent.ts!, text: 'Cutover done' });
    expect(updated).toMatchObject({ ok: true, channel: 'C0CUTOVER', ts: parent.ts, text: 'Cutover done' });
    const stored = emu.store.messages('C0CUTOVER').find((m) => m.ts === parent.ts)!;
    expect(stored.text).toBe('Cutover done');
    expect(stored.blocks).toHaveLength(1); // text-only update keeps blocks
    expect(stored.reply_count).toBe(1);
    expect(emu.store.replies('C0CUTOVER', parent.ts!).map((m) => m.text)).toEqual(['Step 1/3 done']);
  });

  it('gives unique ts values per channel under a burst', async () => {
    const client = webClient(emu);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => client.chat.postMessage({ channel: 'C0ALERTS', text: `m${i}` })));
    expect(new Set(results.map((r) => r.ts)).size).toBe(20);
  });

  it('accepts channel names and JSON bodies', async () => {
    const res = await fetch(`${emu.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-test-token', 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: '#alerts', blocks: [{ type: 'divider' }], text: 'json' }),
    });
    const body = (await res.json()) as { ok: boolean; channel: string };
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ ok: true, channel: 'C0ALERTS' });
  });

  it('returns Slack error shapes', async () => {
    const client = webClient(emu);
    expect(await slackError(client.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).toEqual({ ok: false, error: 'channel_not_found' });
    expect(await slackError(client.chat.postMessage({ channel: 'C0CUTOVER', text: '' }))).toEqual({ ok: false, error: 'no_text' });
    expect(await slackError(client.chat.update({ channel: 'C0CUTOVER', ts: '1.000001', text: 'x' }))).toEqual({ ok: false, error: 'message_not_found' });
    expect(await slackError(client.apiCall('chat.fly'))).toMatchObject({ ok: false, error: 'unknown_method' });
    expect(await slackError(client.conversations.info({ channel: 'C0NOPE' }))).toEqual({ ok: false, error: 'channel_not_found' });
  });

  it('answers invalid_blocks with errors and [ERROR] messages carrying json-pointers', async () => {
    const before = emu.store.validationFailures.length;
    const data = await slackError(webClient(emu).chat.postMessage({
      channel: 'C0CUTOVER', text: 'x', blocks: [{ type: 'divider' }, { type: 'section', text: md('y'.repeat(3001)) }],
    }));
    expect(data).toEqual({
      ok: false,
      error: 'invalid_blocks',
      errors: ['failed to match all allowed schemas [json-pointer:/blocks/1/text]', 'must be less than 3001 characters [json-pointer:/blocks/1/text/text]'],
      response_metadata: { messages: [
        '[ERROR] failed to match all allowed schemas [json-pointer:/blocks/1/text]',
        '[ERROR] must be less than 3001 characters [json-pointer:/blocks/1/text/text]',
      ] },
    });
    expect(emu.store.validationFailures.length).toBe(before + 1);
    expect(emu.store.validationFailures.at(-1)?.source).toBe('chat.postMessage');
  });

  it('validates chat.update blocks too', async () => {
    const client = webClient(emu);
    const { ts } = await client.chat.postMessage({ channel: 'C0CUTOVER', text: 'x' });
    const data = await slackError(client.chat.update({ channel: 'C0CUTOVER', ts: ts!, text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }));
    expect(data.errors).toEqual(['no more than 50 items allowed [json-pointer:/blocks]']);
  });

  it('stores ephemerals per user', async () => {
    const res = await webClient(emu).chat.postEphemeral({ channel: 'C0CUTOVER', user: 'U0SECOND', text: 'only you' });
    expect(res.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(emu.store.ephemerals.find((e) => e.ts === res.message_ts)).toMatchObject({ user: 'U0SECOND', text: 'only you', channel: 'C0CUTOVER' });
  });

  it('answers conversations.info', async () => {
    const res = await webClient(emu).conversations.info({ channel: 'C0CUTOVER' });
    expect(res.channel).toMatchObject({ id: 'C0CUTOVER', name: 'cutover', is_channel: true, is_archived: false });
  });

  it('answers chat.getPermalink for messages and thread replies, message_not_found otherwise', async () => {
    const client = webClient(emu);
    const parent = await client.chat.postMessage({ channel: 'C0CUTOVER', text: 'card' });
    const reply = await client.chat.postMessage({ channel: 'C0CUTOVER', text: 'step', thread_ts: parent.ts });
    const link = await client.chat.getPermalink({ channel: 'C0CUTOVER', message_ts: parent.ts! });
    expect(link).toMatchObject({ ok: true, channel: 'C0CUTOVER', permalink: `${emu.url}/archives/C0CUTOVER/p${parent.ts!.replace('.', '')}` });
    expect((await client.chat.getPermalink({ channel: 'C0CUTOVER', message_ts: reply.ts! })).permalink).toContain(reply.ts!.replace('.', ''));
    expect(await slackError(client.chat.getPermalink({ channel: 'C0CUTOVER', message_ts: '1.000001' }))).toEqual({ ok: false, error: 'message_not_found' });
  });
});

describe('views', () => {
  const view = (title = 'Start cutover') => ({
    type: 'modal' as const, callback_id: 'start', title: text(title), submit: text('Start'), private_metadata: 'run-1',
    blocks: [{ type: 'input', block_id: 'reason', label: text('Reason'), element: { type: 'plain_text_input', action_id: 'value' } }],
  });

  it('opens a modal once per trigger_id and updates it', async () => {
    const client = webClient(emu);
    const trigger = emu.issueTriggerId('U0LEAD');
    const opened = await client.views.open({ trigger_id: trigger, view: view() });
    expect(opened.view).toMatchObject({ callback_id: 'start', private_metadata: 'run-1', team_id: 'T0TZERO', state: { values: {} } });
    expect(opened.view?.id).toMatch(/^V[0-9A-F]+$/);
    expect(emu.store.viewStacks.get('U0LEAD')?.map((v) => v.id)).toEqual([opened.view!.id]);
    expect(await slackError(client.views.open({ trigger_id: trigger, view: view() }))).toEqual({ ok: false, error: 'exchanged_trigger_id' });
    expect(await slackError(client.views.open({ trigger_id: '1.2.3', view: view() }))).toEqual({ ok: false, error: 'invalid_trigger_id' });

    const updated = await client.views.update({ view_id: opened.view!.id!, view: view('Step 2'), hash: opened.view!.hash });
    expect(updated.view?.title).toEqual(text('Step 2'));
    expect(await slackError(client.views.update({ view_id: opened.view!.id!, view: view(), hash: 'stale' }))).toEqual({ ok: false, error: 'hash_conflict' });
    expect(await slackError(client.views.update({ view_id: 'VNOPE', view: view() }))).toEqual({ ok: false, error: 'not_found' });
  });

  it('rejects expired trigger_ids', async () => {
    const short = await startTestEmulator({ triggerTtlMs: 50 });
    try {
      const trigger = short.issueTriggerId('U0LEAD');
      await new Promise((r) => setTimeout(r, 80));
      expect(await slackError(webClient(short).views.open({ trigger_id: trigger, view: view() }))).toEqual({ ok: false, error: 'expired_trigger_id' });
    } finally {
      await short.close();
    }
  });

  it('answers view_too_large above 250 kB', async () => {
    const blocks = Array.from({ length: 100 }, () => ({ type: 'section', text: md('x'.repeat(2600)) }));
    const data = await slackError(webClient(emu).views.open({ trigger_id: emu.issueTriggerId('U0LEAD'), view: { ...view(), blocks } }));
    expect(data).toEqual({ ok: false, error: 'view_too_large' });
  });

  it('answers schema errors with invalid_arguments and /view pointers', async () => {
    const data = await slackError(webClient(emu).views.open({ trigger_id: emu.issueTriggerId('U0LEAD'), view: { ...view(), private_metadata: 'm'.repeat(3001) } }));
    expect(data).toEqual({
      ok: false, error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]'] },
    });
  });
});
