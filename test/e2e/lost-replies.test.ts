// Slack did the work but its answer was lost (a reset after the message was accepted): the
// outbox looks the message up by its metadata before posting again, so nothing is posted twice.
import { afterEach, describe, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

let sys: System | undefined;
afterEach(async () => {
  await sys?.stop();
  sys = undefined;
});

const RUNBOOK = `
name: chatty
channel: C0CUTOVER
roles: { lead: [U0LEAD], second: [U0SECOND] }
steps:
  - { id: one, uses: notify, with: { text: "first" } }
  - { id: two, uses: notify, with: { text: "second" } }
`;

describe('a post whose answer is lost', () => {
  it('is found by its metadata and not posted again: one card, one reply per step', async () => {
    sys = await startSystem({ runbooks: { 'chatty.yml': RUNBOOK } });
    const bot: Tzero = await sys.startBot();
    await sys.slack.dropReplies('chat.postMessage', 3); // the card and the first thread replies
    await sys.slack.command({ user: 'U0LEAD', channel: 'C0CUTOVER', text: 'start chatty' });
    const run = await waitUntil(async () => { const r = (await bot.store.recent(1))[0]; return r?.status === 'succeeded' ? r : null; }, 20_000, 'run done');
    await waitUntil(() => bot.outbox.idle(), 20_000, 'outbox idle');
    const calls = await sys.slack.apiCalls();
    expect(calls.filter((c) => c.error === 'reply_dropped')).toHaveLength(3); // the faults did happen
    const cards = (await sys.slack.messages('C0CUTOVER')).filter((m) => m.text.includes(run.id));
    expect(cards).toHaveLength(1);
    const replies = cards[0]!.replies.map((r) => r.text);
    expect(new Set(replies).size).toBe(replies.length); // no reply twice
    expect(replies.filter((t) => /\bone\b/.test(t))).toHaveLength(1);
    expect(replies.filter((t) => /\btwo\b/.test(t))).toHaveLength(1);
    // The card shows the end state: found, then edited to the latest.
    expect(cards[0]!.text).toMatch(/succeeded|done|2\/2/i);
  }, 60_000);
});
