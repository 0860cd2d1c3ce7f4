// Alert group messages: named after the group (the Sentry rule and project), and a new issue in a
// group that already has its message is edited in at once — not after group_interval.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import { CLIENT_SECRET, eventAlert, sentryHeaders, sentryWire } from '../alerts/sentry-fixtures.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

let sys: System;
let bot: Tzero;
let url: string;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tz-groups-'));
  const monitors = path.join(dir, 'monitors.yml');
  writeFileSync(monitors, 'alerts_channel: C0ALERTS\n');
  // group_interval far longer than the test: only a forced edit can show the new issue in time.
  sys = await startSystem({ env: { SENTRY_CLIENT_SECRET: CLIENT_SECRET, MONITORS_FILE: monitors }, runbooks: {}, relay: { groupWaitMs: 300, groupIntervalMs: 600_000 } });
  bot = await sys.startBot();
  url = sys.botUrls[0]!.replace('/slack/events', '/webhooks/sentry');
});
afterAll(() => sys?.stop());

async function send(payload: unknown) {
  const body = sentryWire(payload);
  const res = await fetch(url, { method: 'POST', headers: sentryHeaders('event_alert', body), body });
  expect(res.status).toBe(200);
}
const groupMessage = async () => (await sys.slack.messages('C0ALERTS')).filter((m) => m.text.includes('Very Important Alert Rule!'));

describe('alert group messages', () => {
  it('are titled with the rule and project and count issues and events, not with the first issue', async () => {
    await send(eventAlert({ title: 'Storm issue 0 blew up', eventId: 'g1', issueId: '501' }));
    const [msg] = await waitUntil(async () => { const m = await groupMessage(); return m.length ? m : null; }, 15_000, 'group posted');
    expect(msg!.text).toMatch(/Very Important Alert Rule! · front-end: 1 issue, 1 event\b/);
    const headline = JSON.stringify(msg!.blocks![0]);
    expect(headline).toContain('Very Important Alert Rule! · front-end: 1 issue, 1 event');
    expect(headline).not.toContain('Storm issue 0');
  });

  it('edits a new issue into the existing group message at once, well before group_interval', async () => {
    await waitUntil(() => bot.outbox.idle(), 10_000, 'outbox idle');
    const before = (await groupMessage())[0]!;
    await send(eventAlert({ title: 'A new kind of failure', eventId: 'g3', issueId: '502' }));
    const after = await waitUntil(async () => (await groupMessage()).find((m) => m.ts === before.ts && m.text.includes('2 issues, 2 events')), 15_000, 'new issue shown');
    expect(JSON.stringify(after.blocks)).toContain('A new kind of failure');
    expect(await groupMessage()).toHaveLength(1);
  });

  it('offers the full list one click away when the message lists only the top items', async () => {
    for (let i = 0; i < 14; i++) await send(eventAlert({ title: `Storm issue ${i}`, eventId: `s${i}`, issueId: String(600 + i) }));
    const msg = await waitUntil(async () => (await groupMessage()).find((m) => m.text.includes('16 issues')), 20_000, 'storm listed');
    expect(JSON.stringify(msg.blocks)).not.toContain('|Storm issue 0>'); // only the top 10 are listed
    expect(JSON.stringify(msg.blocks)).toContain('alert_show_all');
    await sys.slack.click({ user: 'U0COMMS', channel: 'C0ALERTS', ts: msg.ts, action_id: 'alert_show_all' });
    const all = await sys.slack.waitFor(async (c) => (await c.ephemerals('U0COMMS')).find((e) => e.text.startsWith('All alerts of')), 10_000);
    const text = JSON.stringify(all.blocks);
    for (let i = 0; i < 14; i++) expect(text).toContain(`|Storm issue ${i}>`);
    expect(text).toContain('A new kind of failure');
  });
});
