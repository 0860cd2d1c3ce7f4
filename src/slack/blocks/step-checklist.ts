// A checklist step's part of its thread message: every item with its owner and state, and
// Done / N/A buttons under each open item while the step waits.
import type { ApprovalState, Run, StepState } from '../../engine/types.js';
import { ACTION_IDS } from '../action-ids.js';
import { trustStored } from '../../lib/mrkdwn.js';
import { actions, button, cut, md, mdJoin, section, user, type KnownBlock } from './kit.js';
import { stamp } from './labels.js';
import { principal } from './step-approval.js';
import { checklistItemValue } from './values.js';

/** The checklist a step shows: its own, or its undo's during a rollback, and the attempt its buttons carry. */
export function checklistState(step: StepState): { state: ApprovalState; attempt: number; undo: boolean } | undefined {
  if (step.undo?.human?.checklist) return { state: step.undo.human, attempt: step.undo.attempt ?? 0, undo: true };
  if (step.approval?.checklist) return { state: step.approval, attempt: step.attempt, undo: false };
  return undefined;
}

/** A `checklist` step, or a checklist `undo` during a rollback (its buttons carry the undo attempt). */
export function checklistBlocks(run: Run, step: StepState): KnownBlock[] {
  const found = checklistState(step);
  const list = found?.state.checklist;
  if (!found || !list) return [];
  const a = { ...found.state, checklist: list };
  const undo = found.undo;
  const live = undo
    ? step.status === 'undo_waiting' && (run.status === 'rolling_back' || run.status === 'rollback_paused')
    : step.status === 'awaiting_approval' && (run.status === 'running' || run.status === 'paused');
  const ref = { runId: run.id, stepId: step.id, attempt: found.attempt };
  const ticks = a.ticks ?? {};
  const open = a.checklist.items.filter((i) => i.required && !ticks[i.id]).length;
  const blocks: KnownBlock[] = [
    section(md`*${undo ? 'Undo checklist (confirm by hand)' : 'Checklist'}* · ${open ? `${open} required item${open > 1 ? 's' : ''} open` : 'complete'}${a.checklist.noteRequired ? ' · a note is asked with each Done' : ''}\nOnly the owner of an item or the lead may tick it.`),
  ];
  for (const item of a.checklist.items) {
    const t = ticks[item.id];
    const mark = t ? (t.state === 'done' ? ':white_check_mark:' : ':heavy_minus_sign:') : ':white_large_square:';
    const head = md`${trustStored(mark)} *${item.id}* ${cut(item.text, 1000)} · owner ${principal(item.owner)}${item.required ? '' : ' · optional'}`;
    const by = t ? md`\n${t.state === 'done' ? 'Done' : 'N/A'} by ${user(t.user)} at ${stamp(t.at)}${t.note ? md`: ${cut(t.note, 1000)}` : ''}` : md``;
    blocks.push(section(mdJoin([head, by], '')));
    if (!t && live) {
      const value = checklistItemValue(ref, item.id);
      blocks.push(actions(`checklist_${cut(item.id, 200)}`, [
        button({ actionId: ACTION_IDS.checklistDone, text: 'Done', style: 'primary', value }),
        button({ actionId: ACTION_IDS.checklistNa, text: 'N/A', value }),
      ]));
    }
  }
  return blocks;
}
