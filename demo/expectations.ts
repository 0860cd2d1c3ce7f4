// What a successful auto demo must show, checked against the real run record, the real targets
// and everything the emulator received. Each check names what it expected so a failure reads well.
import type { EmulatorState } from '../emulator/client.js';
import type { Run } from '../src/engine/types.js';
import type { Report } from '../src/report/schema.js';
import { messageLines } from './transcript.js';
import { DNS_API_TOKEN, GITHUB_REPO, GITHUB_TOKEN, type World } from './world.js';

export interface Check {
  name: string;
  ok: boolean;
  detail?: string;
}

const OLD_IP = '139.59.184.196';

function check(name: string, ok: boolean, detail?: string): Check {
  return ok ? { name, ok } : { name, ok, detail };
}

/**
 * `doneBeforeRollback` is the run as it was when it succeeded; `final` is after the rollback.
 * The emulator state is taken after the outbox drained, so it holds every message sent.
 */
export function checkDemo(doneBeforeRollback: Run, final: Run, world: World, state: EmulatorState): Check[] {
  const notDone = doneBeforeRollback.steps.filter((s) => s.status !== 'done').map((s) => `${s.id}=${s.status}`);
  const undone = final.steps
    .filter((s) => s.status === 'undone')
    .sort((a, b) => (a.undo?.endedAt ?? 0) - (b.undo?.endedAt ?? 0))
    .map((s) => s.id);
  const dns = world.dns.getRecords('restarters.net', 'A')?.values ?? [];
  // What people finally see: the card edited to the end state and the rollback summary posted.
  const thread = state.channels.find((c) => c.id === final.channel)?.messages.find((m) => m.text.includes(final.id));
  const cardShows = thread ? messageLines(thread).join('\n') : '';
  const summaryPosted = thread?.replies.some((r) => messageLines(r).some((l) => /rollback of .*rolled back/i.test(l))) ?? false;
  // Every byte the emulator keeps: messages, edits, ephemerals, views, deliveries and API calls.
  const everything = JSON.stringify(state);
  const repo = world.github.repo(GITHUB_REPO);
  const merge = doneBeforeRollback.steps.find((s) => s.id === 'deploy-merge');
  const deployment = repo.deployments.find((d) => (d.payload as { tzero_run?: string }).tzero_run === final.id);
  const deployStates = deployment?.statuses.map((s) => s.state) ?? [];
  const cardLink = thread ? `/archives/${final.channel}/p${thread.ts.replace('.', '')}` : '(no card)';
  return [
    check('every step was done and the rollback window open', doneBeforeRollback.status === 'watching', `status ${doneBeforeRollback.status}`),
    check('every step was done before the rollback', notDone.length === 0, notDone.join(', ')),
    check('the failing new site made tzero propose a rollback', (final.watch?.proposals.length ?? 0) >= 1, 'no proposal recorded'),
    check('the site-down alert reached #alerts', JSON.stringify(state.channels.find((c) => c.id === 'C0ALERTS')?.messages ?? []).includes('new-site is down'), 'no alert in #alerts'),
    check('run ended rolled_back', final.status === 'rolled_back', `status ${final.status}`),
    check('deploy-merge, flip-dns, then maintenance were undone, in that order', JSON.stringify(undone) === '["deploy-merge","flip-dns","maintenance"]', `undone: ${undone.join(', ') || 'none'}`),
    check('master was merged into production before the smoke tests', !!merge?.outputs.merged && merge.outputs.previous_sha === world.productionBefore, `merge outputs ${JSON.stringify(merge?.outputs)}`),
    check('the CircleCI deploy status was green on the merge', doneBeforeRollback.steps.find((s) => s.id === 'deploy-ci')?.outputs.sha === merge?.outputs.sha, 'deploy-ci did not see the merge sha'),
    check('the rollback reset production to where it was', repo.git.branches.get('production') === world.productionBefore, `production at ${repo.git.branches.get('production')}`),
    check('the GitHub deployment went in_progress … inactive', deployStates[0] === 'in_progress' && deployStates.at(-1) === 'inactive', `statuses: ${deployStates.join(', ') || 'none'}`),
    check('deployment statuses link to the run card', !!deployment?.statuses.length && deployment.statuses.every((s) => s.log_url.endsWith(cardLink)), `log_url ${deployment?.statuses[0]?.log_url} vs card ${cardLink}`),
    check('the old site, silenced during maintenance, did not page', !JSON.stringify(state.channels.find((c) => c.id === 'C0ALERTS')?.messages ?? []).includes('old-site is down'), 'old-site alert posted'),
    check(`restarters.net A is back to ${OLD_IP}`, dns.length === 1 && dns[0] === OLD_IP, `A = ${dns.join(', ') || 'none'}`),
    check('old site is out of maintenance', !world.oldSite.maintenance(), 'still in maintenance'),
    check('Slack shows the card as rolled back', /rolled back/i.test(cardShows), 'the card in #cutover does not say rolled back'),
    check('Slack shows the rollback summary in the thread', summaryPosted, 'no "Rollback of … rolled back" reply'),
    check('zero Block Kit validation failures', state.validationFailures.length === 0,
      state.validationFailures.map((f) => `${f.source}: ${f.errors.join('; ')}`).join(' | ')),
    check('the DNS API token appears in no message', !everything.includes(DNS_API_TOKEN), 'token found in emulator state'),
    check('the GitHub token appears in no message', !everything.includes(GITHUB_TOKEN), 'token found in emulator state'),
  ];
}

/** The report posted at the end tells what happened: same statuses, the decisions, the undos in order. */
export function checkReport(report: Report, final: Run): Check[] {
  const statuses = (steps: { id: string; status: string }[]) => steps.map((s) => `${s.id}=${s.status}`).join(', ');
  const rows = report.timeline;
  const undone = rows.filter((t) => t.event === 'step_undone').map((t) => t.step);
  const sorted = rows.every((t, i) => i === 0 || rows[i - 1]!.at <= t.at);
  const ended = rows.filter((t) => t.event === 'step_ended' && t.result === 'done').map((t) => t.step);
  return [
    check('the report says rolled back', report.run.status === final.status && report.run.id === final.id, `report: ${report.run.id} ${report.run.status}`),
    check('the report lists every step with its final status', statuses(report.steps) === statuses(final.steps), `report: ${statuses(report.steps)}`),
    check('the report timeline has every step done, in time order', sorted && final.steps.every((s) => ended.includes(s.id)), `done rows: ${ended.join(', ')}`),
    check('the report timeline has the lead approving approve-dns', rows.some((t) => t.event === 'approve' && t.step === 'approve-dns' && t.who === 'U0LEAD'), 'no approve row'),
    check('the report timeline has the rollback, deploy-merge, flip-dns then maintenance undone', rows.some((t) => t.event === 'rollback' && t.who === 'U0LEAD') && JSON.stringify(undone) === '["deploy-merge","flip-dns","maintenance"]', `undone rows: ${undone.join(', ')}`),
    check('the report lists the site-down alert received during the window', report.alerts.some((a) => /new-site is down/.test(a.title) && a.during === 'watch window'), `alerts: ${report.alerts.map((a) => `${a.group} ${a.title} (${a.during ?? ''})`).join('; ') || 'none'}`),
    check('the report records the rollback window', rows.some((t) => t.event === 'window_opened') && rows.some((t) => t.event === 'window_closed'), 'no window rows'),
  ];
}

/** One line per step: its final status and what became of its undo. */
export function stepSummary(run: Run): string[] {
  const width = Math.max(...run.steps.map((s) => s.id.length));
  return run.steps.map((s) => {
    const undo = s.undo ? `undo ${s.undo.status}` : 'no undo';
    return `  ${s.id.padEnd(width)}  ${s.status.padEnd(9)}  ${undo}${s.summary ? `  — ${s.summary}` : ''}`;
  });
}
