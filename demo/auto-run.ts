// `npm run demo -- --auto`: the whole cutover driven through the emulator's control API, as the
// people in the banner would do it by hand, then checked. Real outbox pacing, so waits are real.
import type { EmulatorClient } from '../emulator/client.js';
import type { Json, StoredMessage } from '../emulator/types.js';
import type { Run, RunStatus } from '../src/engine/types.js';
import { ACTION_IDS } from '../src/slack/action-ids.js';
import type { DemoStack } from './demo-stack.js';
import { Report } from '../src/report/schema.js';
import { checkDemo, checkReport, stepSummary } from './expectations.js';
import { transcript } from './transcript.js';
import { runTimeline } from './timeline-run.js';
import { GITHUB_REPO } from './world.js';

const CHANNEL = 'C0CUTOVER';
const STUCK: RunStatus[] = ['failed', 'paused', 'aborted', 'rollback_paused', 'partially_rolled_back', 'rollback_failed'];

/** Polls fn until it returns something; the error names what was awaited and for how long. */
async function waitFor<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function buttons(blocks: Json[] | undefined): Json[] {
  return (blocks ?? []).flatMap((b) => (b.type === 'actions' && Array.isArray(b.elements) ? (b.elements as Json[]) : []));
}

/** The thread reply carrying `actionId` for this run's step (the button value names both). */
async function stepMessage(slack: EmulatorClient, cardTs: string, runId: string, stepId: string, actionId: string): Promise<StoredMessage | undefined> {
  return (await slack.thread(CHANNEL, cardTs)).find((m) =>
    buttons(m.blocks).some((b) => b.action_id === actionId && String(b.value).includes(`"runId":"${runId}","stepId":"${stepId}"`)));
}

export async function runAuto(stack: DemoStack, say: (line: string) => void): Promise<boolean> {
  const { slack, tzero, world } = stack;
  const t0 = Date.now();
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  const runReaching = (status: RunStatus, timeoutMs: number) =>
    waitFor(`the run to reach ${status}`, timeoutMs, async () => {
      const run = await tzero.engine.getRun(runId);
      if (run && STUCK.includes(run.status)) throw new Error(`run ${runId} is ${run.status}, expected ${status}: ${JSON.stringify(run.steps.filter((s) => s.error).map((s) => [s.id, s.error]))}`);
      return run?.status === status ? run : undefined;
    });

  say('second: /cutover start restarters-go-live');
  const ack = await slack.command({ user: 'U0SECOND', channel: CHANNEL, text: 'start restarters-go-live' });
  if (ack.status !== 200) throw new Error(`/cutover start was answered with HTTP ${ack.status}`);
  const runId = await waitFor('the run id in the reply to /cutover start', 10_000, async () =>
    (await slack.ephemerals('U0SECOND')).map((e) => /run `?([a-z0-9]{6})`?/i.exec(e.text)?.[1]).find(Boolean));
  const card = await waitFor(`the run card of ${runId} in #cutover`, 10_000, async () =>
    (await slack.messages(CHANNEL)).find((m) => m.text.includes(runId)));
  say(`[${elapsed()}] run ${runId} started; card posted`);

  const approval = await waitFor('the Approve button on the approve-dns thread message', 40_000, () =>
    stepMessage(slack, card.ts, runId, 'approve-dns', ACTION_IDS.approve));
  say(`[${elapsed()}] lead: Approve (approve-dns)`);
  await slack.click({ user: 'U0LEAD', channel: CHANNEL, ts: approval.ts, action_id: ACTION_IDS.approve });
  const succeeded = await runReaching('watching', 45_000);
  say(`[${elapsed()}] every step done (master merged into production, CircleCI deploy green); rollback window open`);

  say(`[${elapsed()}] the new site starts failing…`);
  world.newSite.setFail(true);
  const proposal = await waitFor('the "Roll back now?" proposal in the thread', 40_000, async () =>
    (await slack.thread(CHANNEL, card.ts)).find((m) => buttons(m.blocks).some((b) => b.action_id === ACTION_IDS.dismissProposal)));
  say(`[${elapsed()}] tzero proposes a rollback: ${proposal.text}`);

  say(`[${elapsed()}] lead: /rollback`);
  await slack.command({ user: 'U0LEAD', channel: CHANNEL, command: '/rollback', text: '' });
  const prompt = await waitFor('the /rollback confirmation (rollback_confirm) for lead', 10_000, async () =>
    (await slack.ephemerals('U0LEAD')).find((e) => buttons(e.blocks).some((b) => b.action_id === ACTION_IDS.rollbackConfirm)));
  await slack.click({ user: 'U0LEAD', channel: CHANNEL, ts: prompt.ts, action_id: ACTION_IDS.rollbackConfirm });
  const final = await runReaching('rolled_back', 30_000);
  world.newSite.setFail(false);
  say(`[${elapsed()}] run rolled back`);
  // The GitHub deployment follows the run asynchronously (its own retrying loop).
  await waitFor('the GitHub deployment to go inactive', 20_000, () =>
    world.github.repo(GITHUB_REPO).deployments.find((d) => (d.payload as { tzero_run?: string }).tzero_run === runId)?.statuses.at(-1)?.state === 'inactive' ? true : undefined);
  say(`[${elapsed()}] GitHub deployment marked inactive`);
  // The last edits are paced too; the checks must see what Slack finally shows.
  await waitFor('the outbox to deliver every message', 20_000, async () => ((await tzero.outbox.idle()) ? true : undefined));
  say(`[${elapsed()}] every message delivered`);

  // The run's end posts its report in the thread by itself: read its JSON as uploaded.
  const report = await waitFor('the report of the rolled-back run in the thread', 30_000, async () => {
    for (const m of [...(await slack.thread(CHANNEL, card.ts))].reverse()) {
      const file = (m.files as { name: string; url_private: string }[] | undefined)?.find((f) => f.name.endsWith('.json'));
      if (!file) continue;
      const parsed = Report.parse(await (await fetch(file.url_private)).json());
      return parsed.run.status === final.status ? parsed : undefined;
    }
    return undefined;
  });
  say(`[${elapsed()}] report posted: ${report.timeline.length} timeline rows`);

  const state = await slack.state();
  say('\n── Thread transcript ──────────────────────────────');
  say(transcript(state, CHANNEL, card.ts));
  say('\n── Steps (status, undo) ───────────────────────────');
  for (const line of stepSummary(final as Run)) say(line);
  say('\n── Timeline (planned a few seconds ahead) ─────────');
  const timelineChecks = await runTimeline(slack, tzero, world, say);
  const checks = [...checkDemo(succeeded, final, world, state), ...checkReport(report, final as Run), ...timelineChecks];
  say('\n── Checks ─────────────────────────────────────────');
  for (const c of checks) say(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}${c.ok ? '' : `  (${c.detail})`}`);
  const rate = Object.values(state.ratelimited).reduce((a, b) => a + b, 0);
  say(`\n${state.apiCalls.length} Slack API calls, ${rate} rate-limited; finished in ${elapsed()}`);
  return checks.every((c) => c.ok);
}
