// The MONITORS_FILE format: always-on health and queue-depth monitors. Strict (unknown fields
// are errors) because a typo in `down_after` would otherwise silently fall back to the default.
import cron from 'node-cron';
import { z } from 'zod';
import { HttpExpect } from '../lib/http-expect.js';
import { isJsonPath } from '../lib/json-path.js';
import { isDuration, parseDuration } from '../runbooks/duration.js';

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and - only (e.g. site, failed-jobs)');
const Duration = z.string().refine(isDuration, 'not a duration (use e.g. 500ms, 15s, 2m)').transform(parseDuration);
const Interval = Duration.refine((ms) => ms >= 100, 'must be at least 100ms');
const Cron = z.string().refine((p) => cron.validate(p), 'not a valid cron expression (e.g. "*/1 * * * *")');
/** The name of an environment variable: connection URLs carry passwords, so never the URL itself. */
const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable (e.g. QUEUE_DB_URL)');
const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** `every:` or `cron:`, exactly one; checked after parsing so the message can name both. */
const Schedule = {
  every: Interval.optional(),
  cron: Cron.optional(),
};
const oneSchedule = (m: { every?: number; cron?: string }, ctx: z.RefinementCtx) => {
  if (m.every !== undefined && m.cron !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['cron'], message: 'give either every (e.g. 15s) or cron (e.g. "*/1 * * * *"), not both' });
  }
};
/** Neither given: every 15s, the example's interval. */
const defaultEvery = <T extends { every?: number; cron?: string }>(m: T): T =>
  m.every === undefined && m.cron === undefined ? { ...m, every: 15_000 } : m;

export const HealthMonitor = z
  .strictObject({
    id: Id,
    url: HttpUrl,
    ...Schedule,
    timeout: Duration.default(5000),
    expect: HttpExpect.default({ headers: {}, json: {} }),
    down_after: z.number().int().min(1).default(3),
    up_after: z.number().int().min(1).default(2),
  })
  .superRefine(oneSchedule)
  .transform(defaultEvery);
export type HealthMonitor = z.output<typeof HealthMonitor>;

const ReadOnlyQuery = z
  .string()
  .refine((q) => /^\s*(select|with)\b/i.test(q), 'must be a read-only query starting with select or with')
  .refine((q) => !/;\s*\S/.test(q), 'one statement only');

export const SqlSource = z.strictObject({ url_env: EnvName, query: ReadOnlyQuery });
export type SqlSource = z.output<typeof SqlSource>;
export const BullmqSource = z.strictObject({ queue: z.string().min(1), prefix: z.string().min(1).optional() });
export type BullmqSource = z.output<typeof BullmqSource>;
/** Without url_env: tzero's own Redis. */
export const RedisSource = z.strictObject({ key: z.string().min(1), url_env: EnvName.optional() });
export type RedisSource = z.output<typeof RedisSource>;
export const HttpSource = z
  .strictObject({
    url: HttpUrl.optional(),
    /** For stats endpoints whose URL carries a token. */
    url_env: EnvName.optional(),
    path: z.string().refine(isJsonPath, 'not a JSON path (use e.g. queue.depth)'),
    timeout: Duration.default(5000),
  })
  .refine((h) => (h.url === undefined) !== (h.url_env === undefined), { message: 'give exactly one of url or url_env', path: ['url'] });
export type HttpSource = z.output<typeof HttpSource>;

// One object with optional kinds rather than a union: zod then reports the exact field
// (`source.sql.query`) instead of "Invalid input" for the whole source.
const SOURCE_KINDS = ['sql', 'bullmq', 'redis', 'http'] as const;
export const QueueSource = z
  .strictObject({ sql: SqlSource.optional(), bullmq: BullmqSource.optional(), redis: RedisSource.optional(), http: HttpSource.optional() })
  .refine((s) => SOURCE_KINDS.filter((k) => s[k] !== undefined).length === 1, `give exactly one of ${SOURCE_KINDS.join(', ')}`);
export type QueueSource = z.output<typeof QueueSource>;

export const QueueMonitor = z
  .strictObject({
    id: Id,
    source: QueueSource,
    ...Schedule,
    above: z.number().min(0).optional(),
    for: Duration.default(0),
    rises_by: z.number().positive().optional(),
  })
  .superRefine((m, ctx) => {
    oneSchedule(m, ctx);
    if ((m.above === undefined) === (m.rises_by === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['above'], message: 'give exactly one of above (depth threshold) or rises_by (growth since the last reading)' });
    }
  })
  .transform(defaultEvery);
export type QueueMonitor = z.output<typeof QueueMonitor>;

export const MonitorsFile = z
  .strictObject({
    alerts_channel: z.string().regex(/^[CG][A-Z0-9]+$/, 'a Slack channel id (e.g. C0ALERTS)').optional(),
    health: z.array(HealthMonitor).default([]),
    queues: z.array(QueueMonitor).default([]),
  })
  .superRefine((file, ctx) => {
    // Ids name fingerprints and schedulers; a repeat within a kind would merge two monitors' state.
    for (const kind of ['health', 'queues'] as const) {
      const seen = new Set<string>();
      file[kind].forEach((m, i) => {
        if (seen.has(m.id)) ctx.addIssue({ code: 'custom', path: [kind, i, 'id'], message: `duplicate ${kind} id "${m.id}"` });
        seen.add(m.id);
      });
    }
  });
export type MonitorsFile = z.output<typeof MonitorsFile>;
