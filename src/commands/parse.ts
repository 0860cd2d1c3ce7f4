// Parses `/cutover` text into a subcommand with zod. Anything unrecognised becomes help.
import { z } from 'zod';

/** Lenient with Slack's payload: only the fields we use, all strings. */
export const CommandPayload = z.looseObject({
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  text: z.string().default(''),
});
export type CommandPayload = z.infer<typeof CommandPayload>;

const Name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/, 'a runbook name such as db-cutover');
const RunId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/, 'a run id');

export const Cutover = z.discriminatedUnion('sub', [
  z.object({ sub: z.literal('start'), runbook: Name, dryRun: z.boolean() }),
  z.object({ sub: z.literal('status'), runId: RunId.optional() }),
  z.object({ sub: z.literal('list') }),
  z.object({ sub: z.literal('abort'), runId: RunId }),
  z.object({ sub: z.literal('help') }),
]);
export type Cutover = z.infer<typeof Cutover>;

export const USAGE: Record<Cutover['sub'], string> = {
  start: '`/cutover start <runbook> [--dry-run]`',
  status: '`/cutover status [run]`',
  list: '`/cutover list`',
  abort: '`/cutover abort <run>`',
  help: '`/cutover help`',
};

const DRY_FLAGS = new Set(['--dry-run', '--dryrun', '--dry']);

function candidate(tokens: string[]): Record<string, unknown> {
  const [sub, ...rest] = tokens;
  switch (sub) {
    case 'start': {
      const flags = rest.filter((t) => t.startsWith('--'));
      const args = rest.filter((t) => !t.startsWith('--'));
      const unknownFlag = flags.find((f) => !DRY_FLAGS.has(f));
      return { sub, runbook: unknownFlag ?? (args.length === 1 ? args[0] : undefined), dryRun: flags.length > 0 };
    }
    case 'status':
      return rest.length > 1 ? { sub, runId: '' } : { sub, runId: rest[0] };
    case 'abort':
      return { sub, runId: rest.length === 1 ? rest[0] : undefined };
    case 'list':
      return { sub };
    default:
      return { sub: 'help' };
  }
}

export type ParsedCutover = { ok: true; cmd: Cutover } | { ok: false; usage: string };

export function parseCutover(text: string): ParsedCutover {
  const tokens = text.trim().split(/\s+/).filter(Boolean).map((t) => t.replace(/^[—–]/, '--'));
  const raw = candidate(tokens);
  const parsed = Cutover.safeParse(raw);
  if (parsed.success) return { ok: true, cmd: parsed.data };
  return { ok: false, usage: `Usage: ${USAGE[raw.sub as Cutover['sub']]}` };
}

/** `/rollback [run] [reason…]` */
export function parseRollback(text: string): { runId?: string; reason: string } | null {
  const [first, ...rest] = text.trim().split(/\s+/).filter(Boolean);
  if (first !== undefined && !RunId.safeParse(first).success) return null;
  const reason = rest.join(' ').trim();
  return { ...(first ? { runId: first } : {}), reason: reason || 'requested with /rollback' };
}
