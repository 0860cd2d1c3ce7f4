// What a rollback would do, said the same way wherever it is offered: the /rollback reply,
// and the Roll back buttons on the card, on a failed step and on a proposal. One confirmation:
// a confirm dialog with the count, or past a point of no return a modal (typed runbook name).
import { rollbackPreview, type RollbackPreview } from '../../engine/rollback-plan.js';
import type { Run } from '../../engine/types.js';
import { button, cut, type Button } from './kit.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "2 steps will be undone: flip-dns, maintenance. 31 steps have nothing to undo." */
export function undoCountText(p: RollbackPreview): string {
  const ids = p.toUndo.map((s) => s.id);
  const head = ids.length
    ? `${plural(ids.length, 'step')} will be undone: ${cut(ids.join(', '), 400)}.`
    : 'Nothing will be undone: no completed step has an undo.';
  return p.nothingToUndo ? `${head} ${plural(p.nothingToUndo, 'step')} ${p.nothingToUndo === 1 ? 'has' : 'have'} nothing to undo.` : head;
}

/** "Step Open sign-ups was a point of no return: …" (plain text; escape before mrkdwn). */
export function costText(p: RollbackPreview): string | null {
  const ponr = p.pointOfNoReturn;
  if (!ponr) return null;
  return `Step ${ponr.name} was a point of no return${ponr.prompt ? `: ${ponr.prompt}` : '.'}`;
}

/** Null when nothing can be planned (the engine will say why on click). */
export function safePreview(run: Run, to?: string): RollbackPreview | null {
  try {
    return rollbackPreview(run, to);
  } catch {
    return null;
  }
}

export function rollbackButton(run: Run, actionId: string, value: string): Button {
  const p = safePreview(run);
  // Past a point of no return the click opens the typed-confirmation modal: no dialog first.
  if (!p || p.pointOfNoReturn) return button({ actionId, text: 'Roll back', style: 'danger', value });
  return button({
    actionId, text: 'Roll back', style: 'danger', value,
    confirm: { title: 'Roll back this run?', text: undoCountText(p), confirm: 'Roll back' },
  });
}
