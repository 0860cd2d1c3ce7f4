// Pure rules of checklist and review decisions on a waiting step's ApprovalState: who may tick
// what, when a checklist is complete, and what the finished step records as evidence. Kept apart
// from the Redis updates so a step and an undo that wait for humans can share them.
import { PermissionDeniedError, PreconditionFailedError } from '../errors.js';
import type { StepResult } from '../steps/define-step.js';
import type { TickState } from './engine-api.js';
import { describe, principals } from './authorize.js';
import type { ApprovalState, Run, Tick } from './types.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** The item's owner, or anyone in the `lead` role, may tick it. */
export function mayTick(run: Run, a: ApprovalState, itemId: string, user: string): void {
  const item = a.checklist?.items.find((i) => i.id === itemId);
  if (!item) throw new PreconditionFailedError(`This checklist has no item "${itemId}".`);
  if (!principals(run.runbook, [item.owner, 'lead']).has(user)) {
    throw new PermissionDeniedError(`Only ${describe([item.owner])} or the lead may tick "${item.id}".`);
  }
}

/** Records a tick on `a` (already authorized). Returns true when every required item is ticked. */
export function applyTick(a: ApprovalState, itemId: string, user: string, tick: TickState, now: number): boolean {
  const list = a.checklist!;
  const ticks = (a.ticks ??= {});
  const earlier = ticks[itemId];
  if (earlier) throw new PreconditionFailedError(`"${itemId}" was already ticked ${earlier.state === 'na' ? 'N/A' : 'done'} by <@${earlier.user}> at ${iso(earlier.at)}.`);
  const note = tick.state === 'na' ? tick.reason.trim() : tick.note?.trim();
  if (tick.state === 'na' && !note) throw new PreconditionFailedError('Say why this item does not apply.');
  if (tick.state === 'done' && list.noteRequired && !note) throw new PreconditionFailedError('This checklist asks for a note with every tick.');
  ticks[itemId] = { user, at: now, state: tick.state, ...(note ? { note } : {}) };
  return list.items.every((i) => !i.required || ticks[i.id]);
}

const tickLine = (id: string, t: Tick) => `${id}: ${t.state === 'na' ? 'N/A' : 'done'} by ${t.user} at ${iso(t.at)}${t.note ? ` (${t.note})` : ''}`;

/** What a completed checklist leaves behind: who ticked what and when. */
export function checklistResult(a: ApprovalState): Required<Pick<StepResult, 'outputs' | 'summary' | 'evidence'>> {
  const ticks = a.ticks ?? {};
  const items = a.checklist!.items;
  const done = items.filter((i) => ticks[i.id]?.state === 'done').length;
  const na = items.filter((i) => ticks[i.id]?.state === 'na').length;
  const open = items.filter((i) => !ticks[i.id]);
  return {
    outputs: {
      items: Object.fromEntries(items.map((i) => {
        const t = ticks[i.id];
        return [i.id, t ? { state: t.state, by: t.user, at: iso(t.at), ...(t.note ? { note: t.note } : {}) } : { state: 'open' }];
      })),
      done,
      na,
    },
    summary: `Checklist complete: ${done} done, ${na} N/A${open.length ? `, ${open.length} optional left open` : ''}`,
    evidence: [...items.filter((i) => ticks[i.id]).map((i) => tickLine(i.id, ticks[i.id]!)), ...open.map((i) => `${i.id}: left open (optional)`)],
  };
}

/** What a sent review leaves behind: the text as sent and who sent it. */
export function reviewResult(a: ApprovalState, channel: string): Required<Pick<StepResult, 'outputs' | 'summary' | 'evidence'>> {
  const s = a.sent!;
  return {
    outputs: { channel, text: s.text, reviewer: s.user, edited: s.edited, sent_at: iso(s.at) },
    summary: `Sent after review by ${s.user}${s.edited ? ' (edited)' : ''}`,
    evidence: [
      `reviewed by ${s.user} at ${iso(s.at)}${s.edited ? ', edited before sending' : ', sent as drafted'}`,
      ...(a.holds ?? []).map((h) => `held by ${h.user} at ${iso(h.at)}`),
      `sent text: ${s.text}`,
    ],
  };
}
