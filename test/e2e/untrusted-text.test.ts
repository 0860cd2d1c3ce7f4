// Nothing from a target can ping, mention or break Slack text: an HTTP response with <!channel>
// used in a notify, command output and errors with <@U…>, all reach Slack escaped; tzero's own
// @role mentions and channel links stay live. Checked on what the Slack emulator received.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

const HOSTILE = '<!channel> deploy done <@U0BOSS> & <https://evil.example|click>';
let target: http.Server;
let sys: System;
let bot: Tzero;

beforeAll(async () => {
  target = http.createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ msg: HOSTILE })));
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/status`;
  const runbook = `name: hostile
channel: C0CUTOVER
roles: { lead: [U0LEAD] }
steps:
  - id: call
    uses: http.request
    with: { url: "${url}", method: GET, outputs: { msg: msg } }
  - id: tell
    uses: notify
    with: { text: "@lead status: \${{ steps.call.outputs.msg }} (see <#C0ALERTS>)" }
  - id: elsewhere
    uses: notify
    with: { channel: C0ALERTS, text: "Status: \${{ steps.call.outputs.msg }}" }
  - id: echo
    uses: shell
    with: { run: 'echo "<!here> output <@U0BOSS>"; echo "\${{ steps.call.outputs.msg }}" >&2; exit 3' }
`;
  sys = await startSystem({ runbooks: { 'hostile.yml': runbook } });
  bot = await sys.startBot();
});
afterAll(async () => {
  await sys?.stop();
  await new Promise((r) => target?.close(r));
});

/** Every text field Slack received in the run's messages: top-level text and every block. */
async function everything(): Promise<string> {
  const texts: string[] = [];
  for (const channel of ['C0CUTOVER', 'C0ALERTS']) {
    for (const m of await sys.slack.messages(channel)) {
      texts.push(m.text, JSON.stringify(m.blocks ?? []));
      for (const r of m.replies) texts.push(r.text, JSON.stringify(r.blocks ?? []));
    }
  }
  return texts.join('\n');
}

describe('text from targets reaches Slack as text', () => {
  it('escapes an HTTP body in a notify, command output and the error; keeps @role and own channel links live', async () => {
    await sys.slack.command({ user: 'U0LEAD', channel: 'C0CUTOVER', text: 'start hostile' });
    const run = await waitUntil(async () => {
      const r = (await bot.engine.activeRun('C0CUTOVER')) ?? null;
      return r?.steps.find((s) => s.id === 'echo')?.status === 'failed' ? r : null;
    }, 30_000, 'the echo step failed');
    // Let the outbox deliver the last edits.
    const all = await sys.slack.waitFor(async () => {
      const text = await everything();
      return text.includes('output &lt;@U0BOSS&gt;') && text.includes('exit code 3') ? text : null;
    }, 10_000);

    // Nothing live from outside: no broadcast, no mention of U0BOSS, no foreign link.
    expect(all).not.toMatch(/<!channel>|<!here>|<@U0BOSS>|<https:\/\/evil/);
    const notify = (await sys.slack.thread('C0CUTOVER', (await sys.slack.messages('C0CUTOVER'))[0]!.ts)).find((m) => m.text.includes('status:'))!;
    expect(notify.text).toBe('<@U0LEAD> status: &lt;!channel&gt; deploy done &lt;@U0BOSS&gt; &amp; &lt;https://evil.example|click&gt; (see <#C0ALERTS>)');
    const elsewhere = (await sys.slack.messages('C0ALERTS')).find((m) => m.text.startsWith('Status:'))!;
    expect(elsewhere.text).toContain('&lt;!channel&gt;');
    // tzero's own channel link in a step summary is a real link, not escaped text.
    expect(all).toContain('posted in <#C0ALERTS>');
    expect(all).not.toContain('&lt;#C0ALERTS&gt;');
    expect(run.steps.find((s) => s.id === 'tell')!.outputs.mentioned).toEqual(['U0LEAD']);
  });
});
