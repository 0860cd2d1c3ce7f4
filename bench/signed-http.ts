// Signed Slack deliveries straight to a bot's POST /slack/events, as Slack sends them: exact
// application/x-www-form-urlencoded body, v0 HMAC signature, keep-alive connections.
import http from 'node:http';
import { signedFormHeaders } from '../emulator/signing.js';

const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });

export interface Sent {
  status: number;
  /** Send to full response (the ack), in ms. */
  ms: number;
}

export function postSigned(url: string, secret: string, body: string): Promise<Sent> {
  const headers = { ...signedFormHeaders(secret, body), 'content-length': String(Buffer.byteLength(body)) };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`no ack from ${url} within 10 s`)));
    req.end(body);
  });
}

export interface CommandFields {
  user: string;
  channel: string;
  text: string;
  responseUrl: string;
  command?: string;
}

/** A slash command body with Slack's fields, in Slack's order. */
export function commandBody(f: CommandFields): string {
  return new URLSearchParams({
    token: 'bench-verification-token', team_id: 'T0TZERO', team_domain: 'tzero-dev',
    channel_id: f.channel, channel_name: 'cutover', user_id: f.user, user_name: f.user.toLowerCase(),
    command: f.command ?? '/cutover', text: f.text, api_app_id: 'A0TZERO', is_enterprise_install: 'false',
    response_url: f.responseUrl, trigger_id: `${Date.now()}.bench.${Math.random().toString(36).slice(2)}`,
  }).toString();
}

export interface ClickFields {
  user: string;
  channel: string;
  actionId: string;
  value: string;
  responseUrl: string;
}

/** A block_actions payload for a button in a channel message. */
export function clickBody(f: ClickFields): string {
  const ts = (Date.now() / 1000).toFixed(6);
  const payload = {
    type: 'block_actions', user: { id: f.user, username: f.user.toLowerCase(), name: f.user.toLowerCase(), team_id: 'T0TZERO' },
    api_app_id: 'A0TZERO', token: 'bench-verification-token',
    container: { type: 'message', message_ts: ts, channel_id: f.channel, is_ephemeral: false },
    trigger_id: `${Date.now()}.bench`, team: { id: 'T0TZERO', domain: 'tzero-dev' }, enterprise: null,
    is_enterprise_install: false, channel: { id: f.channel, name: 'cutover' }, state: { values: {} },
    response_url: f.responseUrl,
    actions: [{ action_id: f.actionId, block_id: 'bench', value: f.value, type: 'button', action_ts: ts, text: { type: 'plain_text', text: 'Approve' } }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
