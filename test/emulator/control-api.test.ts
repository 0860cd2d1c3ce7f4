import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatorClient } from '../../emulator/client.js';
import type { Emulator } from '../../emulator/server.js';
import { startTestEmulator, webClient } from './helpers.js';

let emu: Emulator;
let slack: EmulatorClient;
beforeAll(async () => {
  emu = await startTestEmulator();
  slack = new EmulatorClient(emu.url);
});
afterAll(() => emu.close());

describe('control API', () => {
  it('reports channels, threads, ephemerals, views and the call log in /_emu/state', async () => {
    const client = webClient(emu);
    const parent = await client.chat.postMessage({ channel: 'C0CUTOVER', text: 'parent' });
    await client.chat.postMessage({ channel: 'C0CUTOVER', text: 'reply', thread_ts: parent.ts });
    await client.chat.postEphemeral({ channel: 'C0CUTOVER', user: 'U0COMMS', text: 'psst' });
    await client.views.open({ trigger_id: emu.issueTriggerId('U0LEAD'), view: { type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [] } });
    const state = await slack.state();
    expect(state.users.map((u) => u.id)).toEqual(['U0LEAD', 'U0SECOND', 'U0COMMS', 'U0OUTSIDER']);
    expect(state.channels.map((c) => c.name)).toEqual(['cutover', 'alerts']);
    expect(await slack.thread('cutover', parent.ts!)).toMatchObject([{ text: 'reply', thread_ts: parent.ts }]);
    expect((await slack.ephemerals('comms')).map((e) => e.text)).toEqual(['psst']);
    expect(await slack.openViews('U0LEAD')).toHaveLength(1);
    expect((await slack.apiCalls()).map((c) => [c.method, c.status])).toEqual([
      ['chat.postMessage', 200], ['chat.postMessage', 200], ['chat.postEphemeral', 200], ['views.open', 200],
    ]);
    expect(state.methodStats['chat.postMessage']).toEqual({ calls: 2, ratelimited: 0 });
  });

  it('ticks /_emu/events on every store change', async () => {
    const controller = new AbortController();
    const res = await fetch(`${emu.url}/_emu/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const first = decoder.decode((await reader.read()).value);
    expect(first).toMatch(/^event: tick\ndata: \d+\n\n$/);
    await webClient(emu).chat.postMessage({ channel: 'alerts', text: 'tick me' });
    const next = decoder.decode((await reader.read()).value);
    expect(Number(next.match(/data: (\d+)/)![1])).toBeGreaterThan(Number(first.match(/data: (\d+)/)![1]));
    controller.abort();
  });

  it('explains bad control requests instead of guessing', async () => {
    await expect(slack.command({ user: 'nobody', channel: 'cutover', text: '' })).rejects.toMatchObject({ status: 404, code: 'user_not_found' });
    await expect(slack.command({ user: 'lead', channel: 'cutover', text: '' })).rejects.toMatchObject({ status: 409, code: 'bot_url_not_set' });
    const { ts } = await webClient(emu).chat.postMessage({ channel: 'cutover', text: 'no buttons' });
    await expect(slack.click({ user: 'lead', channel: 'cutover', ts: ts!, action_id: 'approve' })).rejects.toMatchObject({ code: 'action_not_found' });
  });

  it('serves the page and its script', async () => {
    const html = await (await fetch(`${emu.url}/`)).text();
    expect(html).toContain('id="command-input"');
    const js = await fetch(`${emu.url}/page/app.js`);
    expect(js.headers.get('content-type')).toContain('javascript');
  });

  it('resets messages but keeps users and channels', async () => {
    await slack.reset();
    const state = await slack.state();
    expect(state.channels.every((c) => c.messages.length === 0)).toBe(true);
    expect(state.apiCalls).toEqual([]);
    expect(state.users).toHaveLength(4);
  });
});
