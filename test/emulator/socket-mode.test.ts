// The emulator's Socket Mode on the wire (reference §1.3), with a bare WebSocket client:
// token rules of apps.connections.open, hello, envelopes, acks applied like HTTP acks, the deadline.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { EmulatorClient } from '../../emulator/client.js';
import type { Emulator } from '../../emulator/server.js';
import { slackError, startTestEmulator, text, TOKEN, webClient } from './helpers.js';

const APP_TOKEN = 'xapp-1-A0TZERO-1-secret';
let emu: Emulator | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) {
    ws.on('error', () => undefined);
    ws.terminate();
  }
  await emu?.close();
  emu = undefined;
});

interface Envelope { envelope_id: string; type: string; payload: Record<string, unknown>; accepts_response_payload: boolean }

/** Connects like the SDK does; `answer` builds each ack payload (undefined = bare ack, null = never ack). */
async function connect(e: Emulator, answer: (env: Envelope) => unknown = () => undefined): Promise<{ hello: Record<string, unknown>; envelopes: Envelope[] }> {
  const opened = (await webClient(e, APP_TOKEN).apiCall('apps.connections.open')) as { ok: boolean; url: string };
  expect(opened.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/socket\?ticket=/);
  const ws = new WebSocket(opened.url);
  sockets.push(ws);
  const envelopes: Envelope[] = [];
  const hello = await new Promise<Record<string, unknown>>((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as Record<string, unknown>;
      if (msg.type === 'hello') return resolve(msg);
      const env = msg as unknown as Envelope;
      envelopes.push(env);
      const payload = answer(env);
      if (payload === null) return;
      ws.send(JSON.stringify(payload === undefined ? { envelope_id: env.envelope_id } : { envelope_id: env.envelope_id, payload }));
    });
  });
  return { hello, envelopes };
}

describe('apps.connections.open', () => {
  it('takes only the app-level token, and the app token opens nothing else', async () => {
    emu = await startTestEmulator({ appToken: APP_TOKEN });
    expect(await slackError(webClient(emu, TOKEN).apiCall('apps.connections.open'))).toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect(await slackError(webClient(emu, 'xapp-wrong').apiCall('apps.connections.open'))).toEqual({ ok: false, error: 'invalid_auth' });
    expect(await slackError(webClient(emu, APP_TOKEN).apiCall('auth.test'))).toEqual({ ok: false, error: 'not_allowed_token_type' });
  });

  it('hands out single-use URLs; the connection says hello', async () => {
    emu = await startTestEmulator({ appToken: APP_TOKEN });
    const { hello } = await connect(emu);
    expect(hello).toMatchObject({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0TZERO' } });
    const { url } = (await webClient(emu, APP_TOKEN).apiCall('apps.connections.open')) as unknown as { url: string };
    const first = new WebSocket(url);
    sockets.push(first);
    await new Promise((resolve) => first.once('message', resolve));
    const again = new WebSocket(url);
    again.on('error', () => undefined);
    const status = await new Promise<number>((resolve) => again.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(401);
  });
});

describe('deliveries over the socket', () => {
  it('sends a command as an unsigned slash_commands envelope and shows its ack payload as an ephemeral', async () => {
    emu = await startTestEmulator({ appToken: APP_TOKEN, socketMode: true });
    const { envelopes } = await connect(emu, () => ({ text: 'On it' }));
    const slack = new EmulatorClient(emu.url);
    const result = await slack.command({ user: 'lead', channel: 'cutover', text: 'start db' });
    expect(result.status).toBe(200);
    expect(envelopes).toHaveLength(1);
    expect(envelopes[0]).toMatchObject({ type: 'slash_commands', accepts_response_payload: true, payload: { command: '/cutover', text: 'start db', user_id: 'U0LEAD', channel_id: 'C0CUTOVER' } });
    expect((await slack.ephemerals('lead')).map((e) => e.text)).toEqual(['On it']);
  });

  it('sends clicks as interactive envelopes that accept no response payload', async () => {
    emu = await startTestEmulator({ appToken: APP_TOKEN, socketMode: true });
    const { envelopes } = await connect(emu);
    await webClient(emu).chat.postMessage({ channel: 'C0CUTOVER', text: 'go?', blocks: [{ type: 'actions', block_id: 'b', elements: [{ type: 'button', action_id: 'go', text: text('Go'), value: 'v' }] }] });
    const slack = new EmulatorClient(emu.url);
    const [msg] = await slack.messages('cutover');
    const result = await slack.click({ user: 'lead', channel: 'cutover', ts: msg!.ts, action_id: 'go' });
    expect(result.status).toBe(200);
    expect(envelopes[0]).toMatchObject({ type: 'interactive', accepts_response_payload: false, payload: { type: 'block_actions', actions: [{ action_id: 'go', value: 'v' }] } });
  });

  it('applies a view_submission ack payload like the HTTP ack body (response_action errors)', async () => {
    emu = await startTestEmulator({ appToken: APP_TOKEN, socketMode: true });
    const { envelopes } = await connect(emu, (env) => (env.payload.type === 'view_submission' ? { response_action: 'errors', errors: { why: 'Say more' } } : undefined));
    const opened = await webClient(emu).views.open({
      trigger_id: emu.issueTriggerId('U0LEAD'),
      view: { type: 'modal', callback_id: 'm', title: text('M'), submit: text('Send'), blocks: [{ type: 'input', block_id: 'why', label: text('Why'), element: { type: 'plain_text_input', action_id: 'why_in' } }] },
    });
    const slack = new EmulatorClient(emu.url);
    const result = await slack.submitView({ user: 'lead', view_id: opened.view!.id!, values: { why: 'x' } });
    expect(envelopes[0]).toMatchObject({ type: 'interactive', accepts_response_payload: true, payload: { type: 'view_submission' } });
    expect(result).toMatchObject({ outcome: 'errors', errors: { why: 'Say more' } });
  });

  it('gives up after the ack deadline, and fails at once with no app connected', async () => {
    emu = await startTestEmulator({ appToken: APP_TOKEN, socketMode: true, ackTimeoutMs: 200 });
    const slack = new EmulatorClient(emu.url);
    expect((await slack.command({ user: 'lead', channel: 'cutover', text: 'x' })).failure).toBe('dispatch_failed');
    await connect(emu, () => null);
    expect((await slack.command({ user: 'lead', channel: 'cutover', text: 'x' })).failure).toBe('operation_timeout');
    expect((await slack.ephemerals('lead')).map((e) => e.text)).toContain('/cutover failed with the error "operation_timeout"');
  });
});
