// Parses `/cutover` text into a subcommand with zod. An unknown subcommand becomes help; an
// unknown option is refused with a suggestion, so a typo (`--dryrun`) never starts a live run.
import { z } from 'zod';
import { closest } from '../runbooks/suggest.js';

/** Lenient with Slack's payload: only the fields we use, all strings. */
export const CommandPayload = z.looseObject({
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  text: z.string().default(''),
});
export type CommandPayload = z.infer<typeof CommandPayload>;

const Name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/, 'a runbook name such as db-cutover');
const StepId = z.string().regex(/^[a-z0-9-]{1,200}$/, 'a step id');
const RunId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/, 'a run id');

export const Cutover = z.discriminatedUnion('sub', [
  z.object({ sub: z.literal('start'), runbook: Name, dryRun: z.boolean() }),
  z.object({ sub: z.literal('status'), runId: RunId.optional() }),
  z.object({ sub: z.literal('list') }),
  z.object({ sub: z.literal('abort'), runId: RunId }),
  z.object({ sub: z.literal('report'), runId: RunId.optional() }),
  z.object({ sub: z.literal('help') }),
  // The timeline (issue #7): the time words are parsed by the handler (it knows the clock).
  z.object({ sub: z.literal('plan'), runbook: Name, when: z.array(z.string().max(100)).min(1).max(4), dryRun: z.boolean() }),
  z.object({ sub: z.literal('plans') }),
  z.object({ sub: z.literal('reschedule'), runId: RunId, when: z.array(z.string().max(100)).min(1).max(4) }),
  z.object({ sub: z.literal('cancel'), runId: RunId, reason: z.string().max(500) }),
  z.object({ sub: z.literal('roles'), runId: RunId.optional() }),
  z.object({ sub: z.literal('handover'), runId: RunId, role: z.string().regex(/^[a-z0-9-]{1,60}$/), to: z.string().regex(/^[UW][A-Z0-9]+$/) }),
]);
export type Cutover = z.infer<typeof Cutover>;

export const USAGE: Record<Cutover['sub'], string> = {
  start: '`/cutover start <runbook> [--dry-run]`',
  status: '`/cutover status [run]`',
  list: '`/cutover list`',
  abort: '`/cutover abort <run>`',
  report: '`/cutover report [run]`',
  help: '`/cutover help`',
  plan: '`/cutover plan <runbook> at <ISO-8601 time with offset> [--dry-run]` (or `in 3d`, `tomorrow 13:00 Europe/London`)',
  plans: '`/cutover plans`',
  reschedule: '`/cutover reschedule <run> <time>`',
  cancel: '`/cutover cancel <run> [reason]`',
  roles: '`/cutover roles [run]`',
  handover: '`/cutover handover <run> <role> <@user>`',
};

/** The options each subcommand takes. */
export const OPTIONS: Record<Cutover['sub'], readonly string[]> = {
  start: ['--dry-run'],
  status: [],
  list: [],
  abort: [],
  report: [],
  help: [],
  plan: ['--dry-run'],
  plans: [],
  reschedule: [],
  cancel: [],
  roles: [],
  handover: [],
};

const isOption = (token: string): boolean => token.length > 1 && token.startsWith('-');

/** "unknown option --dryrun; did you mean --dry-run?", or null when every option is known. */
export function unknownOption(sub: Cutover['sub'], tokens: string[]): string | null {
  const known = OPTIONS[sub];
  const found = tokens.find((t) => isOption(t) && !known.includes(t));
  if (found === undefined) return null;
  // Echoed only when it is plainly an option word: user text never reaches Slack unescaped.
  const bad = /^--?[\w.=-]{1,40}$/.test(found) ? found : '(not shown)';
  const guess = closest(bad, known);
  if (guess) return `unknown option ${bad}; did you mean ${guess}?`;
  return `unknown option ${bad}; ${known.length ? `/cutover ${sub} takes ${known.join(', ')}` : `/cutover ${sub} takes no options`}`;
}

function candidate(tokens: string[]): Record<string, unknown> {
  const [sub, ...rest] = tokens;
  switch (sub) {
    case 'start': {
      const args = rest.filter((t) => !isOption(t));
      return { sub, runbook: args.length === 1 ? args[0] : undefined, dryRun: rest.includes('--dry-run') };
    }
    case 'status':
      return rest.length > 1 ? { sub, runId: '' } : { sub, runId: rest[0] };
    case 'abort':
      return { sub, runId: rest.length === 1 ? rest[0] : undefined };
    case 'report':
      return rest.length > 1 ? { sub, runId: '' } : { sub, runId: rest[0] };
    case 'list':
    case 'plans':
      return { sub };
    case 'plan': {
      const args = rest.filter((t) => !isOption(t));
      return { sub, runbook: args[0], when: args.slice(1), dryRun: rest.includes('--dry-run') };
    }
    case 'reschedule':
      return { sub, runId: rest[0], when: rest.slice(1) };
    case 'cancel':
      return { sub, runId: rest[0], reason: rest.slice(1).join(' ').trim() || 'cancelled with /cutover cancel' };
    case 'roles':
      return rest.length > 1 ? { sub, runId: '' } : { sub, runId: rest[0] };
    case 'handover':
      return rest.length === 3 ? { sub, runId: rest[0], role: rest[1], to: /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(rest[2]!)?.[1] ?? rest[2] } : { sub };
    default:
      return { sub: 'help' };
  }
}

export type ParsedCutover = { ok: true; cmd: Cutover } | { ok: false; usage: string };

export function parseCutover(text: string): ParsedCutover {
  const tokens = text.trim().split(/\s+/).filter(Boolean).map((t) => t.replace(/^[—–]/, '--'));
  const raw = candidate(tokens);
  const sub = raw.sub as Cutover['sub'];
  const badOption = sub === 'help' ? null : unknownOption(sub, tokens.slice(1));
  if (badOption) return { ok: false, usage: `${badOption}\nNothing was done. Usage: ${USAGE[sub]}` };
  const parsed = Cutover.safeParse(raw);
  if (parsed.success) return { ok: true, cmd: parsed.data };
  return { ok: false, usage: `Usage: ${USAGE[sub]}` };
}

/** `/rollback [run] [--to <step>] [reason…]`; null when the text does not fit. */
export function parseRollback(text: string): { runId?: string; to?: string; reason: string } | null {
  const tokens = text.trim().split(/\s+/).filter(Boolean).map((t) => t.replace(/^[—–]/, '--'));
  let to: string | undefined;
  const at = tokens.findIndex((t) => t === '--to' || t.startsWith('--to='));
  if (at >= 0) {
    const inline = tokens[at]!.startsWith('--to=') ? tokens[at]!.slice(5) : undefined;
    to = inline ?? tokens[at + 1];
    if (!to || !StepId.safeParse(to).success) return null;
    tokens.splice(at, inline !== undefined ? 1 : 2);
  }
  if (tokens.some((t) => t.startsWith('--'))) return null;
  const [first, ...rest] = tokens;
  if (first !== undefined && !RunId.safeParse(first).success) return null;
  const reason = rest.join(' ').trim();
  return { ...(first ? { runId: first } : {}), ...(to ? { to } : {}), reason: reason || 'requested with /rollback' };
}
