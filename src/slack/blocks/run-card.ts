// The run card: one message per run in the runbook's channel, edited in place by the outbox.
import type { Run, StepState } from '../../engine/types.js';
import { formatDuration, parseDuration } from '../../runbooks/duration.js';
import { ACTION_IDS } from '../action-ids.js';
import { actions, button, context, cut, cutMd, header, LIMITS, md, mdJoin, mrkdwnText, section, user, type Button, type KnownBlock, type Mrkdwn, type SlackMessage } from './kit.js';
import { countdown, runLabel, stamp, stepDuration, stepLabel, UNDO_LABEL } from './labels.js';
import { runValue } from './values.js';
import { rollbackButton } from './rollback-button.js';
import { stillApplied } from '../../engine/rollback-plan.js';
import { canRun } from '../../engine/state-machine.js';
import { timelineNotes, timelineStepLines } from './timeline-card.js';

/** Step lines are packed into at most this many sections (the card stays far below 50 blocks). */
export const MAX_STEP_SECTIONS = 40;
const LINE_MAX = 300;
/** A timed run's card is edited for days: kept compact, finished phases summarised past this. */
export const TIMED_STEP_SECTIONS = 6;

export function runTitle(run: Run): string {
  return run.runbook.title ?? run.runbook.name;
}

export function modeLabel(run: Run): string {
  return run.dryRun ? 'DRY RUN' : 'LIVE';
}

export function stepLine(step: StepState, index: number, now: number, estimate?: string): Mrkdwn {
  const { emoji, label } = stepLabel(step);
  // The card reads as a plan, so it shows names ("Flip DNS to Fly.io"); ids are in the thread.
  const parts = [md`${emoji} ${index + 1}. *${step.name || step.id}* ${label}`];
  const duration = stepDuration(step, now);
  // Planned vs actual: "9m12s, planned 6m" (the runbook's `estimate:`).
  const planned = estimate ? `planned ${formatDuration(parseDuration(estimate))}` : '';
  if (duration && step.status !== 'pending') parts.push(md`${[duration, planned].filter(Boolean).join(', ')}`);
  else if (planned) parts.push(md`${planned}`);
  if (step.status === 'waiting' && step.waitUntil !== undefined) parts.push(md`${countdown(step.waitUntil, now)}`);
  if (step.undo && step.undo.status !== 'none' && step.status !== 'undone') parts.push(md`(${UNDO_LABEL[step.undo.status]})`);
  return cutMd(mdJoin(parts, ' · '), LINE_MAX);
}

/** Packs lines into sections of ≤ 3000 chars, at most `maxSections`; the rest is summarised. */
export function packLines(mrkdwnLines: Mrkdwn[], maxSections: number): KnownBlock[] {
  // Joining and cutting whole lines of trusted mrkdwn keeps it trusted.
  const lines = mrkdwnLines.map((l) => l.text);
  const texts: string[] = [];
  let current = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (current && current.length + 1 + line.length > LIMITS.sectionText) {
      if (texts.length === maxSections - 1) {
        const more = `_… ${lines.length - i} more steps not shown_`;
        while (current.length + 1 + more.length > LIMITS.sectionText) current = current.slice(0, current.lastIndexOf('\n'));
        current += `\n${more}`;
        break;
      }
      texts.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) texts.push(current);
  return texts.map((t) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text: cut(t, LIMITS.sectionText) } }));
}

function cardButtons(run: Run): Button[] {
  const value = runValue(run.id);
  const buttons: Button[] = [];
  if (run.status === 'running' || run.status === 'paused') {
    buttons.push(button({
      actionId: ACTION_IDS.abort, text: 'Abort', style: 'danger', value,
      confirm: { title: 'Abort this run?', text: `Stop ${runTitle(run)} (${run.id}) now: a running command is killed, waits and approvals end. Nothing is undone.`, confirm: 'Abort run' },
    }));
  }
  // Offered while something with an undo is still applied and a rollback may start.
  if (canRun(run.status, { type: 'rollback' }) && stillApplied(run).length) buttons.push(rollbackButton(run, ACTION_IDS.runRollback, value));
  return buttons;
}

export function runCard(run: Run, now: number): SlackMessage {
  const status = runLabel(run);
  const dry = run.dryRun ? 'DRY RUN · ' : '';
  const done = run.steps.filter((s) => s.status === 'done' || s.status === 'skipped').length;
  const elapsed = formatDuration((run.endedAt ?? now) - run.startedAt);
  const blocks: KnownBlock[] = [
    header(`${dry}${runTitle(run)}`),
    {
      type: 'section',
      fields: [
        mrkdwnText(md`*Run*\n\`${cut(run.id, 200)}\``),
        mrkdwnText(md`*Mode*\n${modeLabel(run)}`),
        mrkdwnText(md`*Status*\n${status.emoji} ${status.label}`),
        mrkdwnText(md`*Started by*\n${user(run.startedBy)} at ${stamp(run.startedAt)}`),
        mrkdwnText(md`*Runbook*\n\`${cut(run.runbook.name, 100)}\` @ \`${run.hash.slice(0, 12)}\``),
        mrkdwnText(md`*Elapsed*\n${elapsed} · ${done}/${run.steps.length} steps`),
      ],
    },
    { type: 'divider' },
    ...(run.plan
      ? packLines(timelineStepLines(run, TIMED_STEP_SECTIONS), TIMED_STEP_SECTIONS)
      : packLines(run.steps.map((s, i) => stepLine(s, i, now, run.runbook.steps[i]?.estimate)), MAX_STEP_SECTIONS)),
  ];
  const notes: Mrkdwn[] = timelineNotes(run, now);
  if (run.watch) {
    const left = run.watch.until - now;
    notes.push(run.status === 'watching'
      ? md`:eyes: Rollback window open until ${stamp(run.watch.until)} (${formatDuration(Math.max(0, left))} left) · ${run.watch.alerts} alert${run.watch.alerts === 1 ? '' : 's'}`
      : md`Rollback window ${stamp(run.watch.startedAt)}–${stamp(Math.min(run.watch.until, run.endedAt ?? run.watch.until))} · ${run.watch.alerts} alert${run.watch.alerts === 1 ? '' : 's'}`);
  }
  if (run.abort) notes.push(md`Aborted by ${user(run.abort.user)} at ${stamp(run.abort.at)}`);
  if (run.rollback) notes.push(md`Rollback requested by ${user(run.rollback.requestedBy)} at ${stamp(run.rollback.at)}${run.rollback.to ? ` (back to after ${run.rollback.to})` : ''}: ${cut(run.rollback.reason, 500)}`);
  const left = run.rollback && run.status !== 'rolling_back' ? stillApplied(run) : [];
  if (left.length) notes.push(md`:warning: Still applied: ${cut(left.map((s) => `${s.id} (${UNDO_LABEL[s.undo?.status ?? 'none']})`).join(', '), 1500)}`);
  if (notes.length) blocks.push(context(...notes));
  const buttons = cardButtons(run);
  if (buttons.length) blocks.push(actions('run_card_actions', buttons));
  const text = cutMd(md`${dry}${runTitle(run)} (${run.id}): ${status.label}, ${done}/${run.steps.length} steps, ${elapsed}`, LIMITS.fallbackText).text;
  return { text, blocks };
}
