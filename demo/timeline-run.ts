// The timeline part of `npm run demo -- --auto` (issue #7): plans the Restarters timeline a few
// seconds ahead with /cutover plan, then checks that the reminder came before the step, that the
// steps started on time (real BullMQ delayed jobs, real clock), and that the TTL restore ran as
// an after-window step, after the rollback window closed.
import type { EmulatorClient } from '../emulator/client.js';
import type { Run } from '../src/engine/types.js';
import type { Tzero } from '../src/app.js';
import type { Check } from './expectations.js';
import type { World } from './world.js';

const CHANNEL = 'C0CUTOVER';
const ON_TIME_MS = 2000;

async function waitFor<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function runTimeline(slack: EmulatorClient, tzero: Tzero, world: World, say: (line: string) => void): Promise<Check[]> {
  say('lead: /cutover plan restarters-timeline in 8s');
  await slack.command({ user: 'U0LEAD', channel: CHANNEL, text: 'plan restarters-timeline in 8s' });
  const planned = await waitFor('the planned run', 10_000, async () => (await tzero.engine.recentRuns(10)).find((r) => r.runbook.name === 'restarters-timeline'));
  say(`run ${planned.id} planned: T-0 ${new Date(planned.plan!.t0).toISOString()}`);
  const done: Run = await waitFor('the timeline run to succeed', 40_000, async () => {
    const r = await tzero.engine.getRun(planned.id);
    if (r && ['failed', 'paused', 'aborted', 'cancelled'].includes(r.status)) throw new Error(`timeline run is ${r.status}`);
    return r?.status === 'succeeded' ? r : undefined;
  });
  await waitFor('the outbox to deliver every message', 20_000, async () => ((await tzero.outbox.idle()) ? true : undefined));
  const thread = (await slack.messages(CHANNEL)).find((m) => m.text.includes(done.id))?.replies ?? [];
  const reminder = thread.find((r) => r.text.includes('reminder') && r.text.includes('Lower the TTL'));
  const step = (id: string) => done.steps.find((s) => s.id === id)!;
  const offBy = (id: string) => step(id).startedAt! - step(id).due!;
  const ttl = world.provider.changes().filter((c) => c.name === 'www.restarters.net').map((c) => c.ttl);
  say(`timeline: lower-ttl ${offBy('lower-ttl')} ms after due, window ${offBy('window')} ms, restore-ttl ${offBy('restore-ttl')} ms`);
  const failures = (await slack.state()).validationFailures;
  return [
    { name: 'zero Block Kit validation failures in the timeline', ok: failures.length === 0, detail: failures.map((f) => `${f.source}: ${f.errors.join('; ')}`).join(' | ') },
    { name: 'the timeline reminder mentioned the owner before the step', ok: !!reminder && reminder.text.includes('<@U0SECOND>') && Number(reminder.ts) * 1000 <= step('lower-ttl').startedAt! + 1000, detail: reminder?.text ?? 'no reminder in the thread' },
    { name: 'timed steps started on time (within 2 s), T-0 included', ok: ['lower-ttl', 'window'].every((id) => offBy(id) >= 0 && offBy(id) <= ON_TIME_MS), detail: `lower-ttl ${offBy('lower-ttl')} ms, window ${offBy('window')} ms` },
    { name: 'the TTL restore ran after the rollback window, as an after-window step', ok: step('restore-ttl').startedAt! >= done.watch!.until && JSON.stringify(ttl) === '[60,3600]', detail: `restore at ${step('restore-ttl').startedAt}, window until ${done.watch?.until}, TTLs ${JSON.stringify(ttl)}` },
  ];
}
