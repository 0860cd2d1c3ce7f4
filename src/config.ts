// Configuration, read once from the environment at start-up (conventions §10). Nothing else in
// tzero reads process.env: the engine gets runbook secrets through `config.secretEnv(name)`.
import { inspect } from 'node:util';
import { z } from 'zod';
import { parseGitHubEnv, type GitHubConfig } from './github/config.js';
import { isReservedEnv } from './reserved-env.js';
import { isDuration, parseDuration } from './runbooks/duration.js';

/** A value that must never be logged or posted: it prints as [redacted] everywhere. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The real value, for the one place that needs it (a Slack client, a step's input). */
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [inspect.custom](): string {
    return '[redacted]';
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** tzero's own settings: a runbook may not declare these as `secrets` (src/reserved-env.ts). */
export { RESERVED_ENV } from './reserved-env.js';

export interface Config {
  slack: {
    botToken: Secret;
    /** Present in HTTP mode (required there); optional in Socket Mode. */
    signingSecret?: Secret;
    /** Present in Socket Mode. */
    appToken?: Secret;
    /** Web API base URL, ending in `/` (the emulator's in tests). */
    apiUrl: string;
    mode: 'socket' | 'http';
  };
  /** HTTP port (HTTP mode; also health checks). */
  port: number;
  redisUrl: string;
  runbooksDir: string;
  logLevel: LogLevel;
  /** Client secret of the Sentry integration; unset → POST /webhooks/sentry answers 503. */
  sentrySecret?: Secret;
  /** Bearer token Alertmanager/Grafana send; unset → POST /webhooks/alertmanager answers 503. */
  alertmanagerToken?: Secret;
  /** Bearer token for GET /metrics; unset → /metrics is open (scrape it on a private network). */
  metricsToken?: Secret;
  /** Set → connect through Redis Sentinel (REDIS_SENTINELS + REDIS_SENTINEL_NAME) instead of REDIS_URL's host. */
  redisSentinel?: { sentinels: Array<{ host: string; port: number }>; name: string };
  /** Health/queue monitors and the alerts channel (a missing file = no monitors). */
  monitorsFile: string;
  /** GitHub API URL and tzero's credential (token or App installation), for the github.* steps and deployments. */
  github: GitHubConfig;
  /** SIGTERM: how long running steps may go on before their process groups are killed. */
  shutdownGraceMs: number;
  /** Prefix of every Redis key and queue name, so tests and deployments can share a Redis. */
  keyPrefix: string;
  /** A runbook-declared secret from the environment tzero started with; never tzero's own settings. */
  secretEnv(name: string): string | undefined;
}

// Empty values count as unset: env files and compose often write `NAME=`.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const secret = (check: z.ZodString) => check.transform((v) => new Secret(v));

// `host:port,host:port` (IPv6 as `[::1]:26379`).
const SentinelList = z.string().transform((v, ctx) => {
  const out: Array<{ host: string; port: number }> = [];
  for (const item of v.split(',').map((x) => x.trim()).filter(Boolean)) {
    const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(item);
    const port = Number(m?.[3]);
    if (!m || port < 1 || port > 65535) {
      ctx.addIssue({ code: 'custom', message: `"${item}" is not host:port` });
      return z.NEVER;
    }
    out.push({ host: (m[1] ?? m[2])!, port });
  }
  if (!out.length) ctx.addIssue({ code: 'custom', message: 'list at least one host:port' });
  return out;
});

const RunbooksDir = optional(z.string()).transform((v) => v ?? './runbooks');

const Env = z.object({
  SLACK_BOT_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), secret(z.string({ error: 'required' }))),
  SLACK_SIGNING_SECRET: optional(secret(z.string())),
  SLACK_APP_TOKEN: optional(secret(z.string().startsWith('xapp-', 'must start with xapp- (an app-level token)'))),
  SLACK_API_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })).transform((v) =>
    v ? (v.endsWith('/') ? v : `${v}/`) : 'https://slack.com/api/',
  ),
  PORT: optional(z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(1, 'must be 1–65535').max(65535, 'must be 1–65535')).transform((v) => v ?? 3000),
  REDIS_URL: optional(z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })).transform(
    (v) => v ?? 'redis://127.0.0.1:6379',
  ),
  RUNBOOKS_DIR: RunbooksDir,
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })).transform((v) => v ?? 'info'),
  TZERO_KEY_PREFIX: optional(z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')).transform((v) => v ?? 'tzero'),
  SENTRY_CLIENT_SECRET: optional(secret(z.string())),
  MONITORS_FILE: optional(z.string()).transform((v) => v ?? './monitors.yml'),
  // Under Docker's and Kubernetes' 30 s between SIGTERM and SIGKILL by default.
  SHUTDOWN_GRACE: optional(z.string().refine((v) => isDuration(v) || /^\d+$/.test(v), 'a duration (20s, 1m) or a number of seconds')).transform((v) =>
    v === undefined ? 20_000 : /^\d+$/.test(v) ? Number(v) * 1000 : parseDuration(v),
  ),
  ALERTMANAGER_TOKEN: optional(secret(z.string().min(16, 'at least 16 characters'))),
  METRICS_TOKEN: optional(secret(z.string().min(16, 'at least 16 characters'))),
  REDIS_SENTINELS: optional(SentinelList),
  REDIS_SENTINEL_NAME: optional(z.string().regex(/^[A-Za-z0-9._-]+$/, 'a Sentinel master name (letters, digits, . _ -)')),
});

const unset = (v: string | undefined): boolean => v === undefined || v === '';

/** Reads and checks the configuration; throws ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  // Checked here rather than in the schema so that it is reported alongside every other problem.
  if (unset(env.SLACK_APP_TOKEN) && unset(env.SLACK_SIGNING_SECRET)) {
    problems.push('SLACK_SIGNING_SECRET: required in HTTP mode (set SLACK_APP_TOKEN for Socket Mode instead)');
  }
  const github = parseGitHubEnv(env, (v) => new Secret(v));
  problems.push(...github.problems);
  if (unset(env.REDIS_SENTINELS) !== unset(env.REDIS_SENTINEL_NAME)) {
    problems.push(`${unset(env.REDIS_SENTINELS) ? 'REDIS_SENTINELS' : 'REDIS_SENTINEL_NAME'}: required with ${unset(env.REDIS_SENTINELS) ? 'REDIS_SENTINEL_NAME' : 'REDIS_SENTINELS'}`);
  }
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const e = parsed.data;
  const snapshot: Readonly<Record<string, string | undefined>> = Object.freeze({ ...env });
  return Object.freeze({
    slack: Object.freeze({
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      mode: e.SLACK_APP_TOKEN ? ('socket' as const) : ('http' as const),
    }),
    port: e.PORT,
    redisUrl: e.REDIS_URL,
    runbooksDir: e.RUNBOOKS_DIR,
    logLevel: e.LOG_LEVEL,
    keyPrefix: e.TZERO_KEY_PREFIX,
    sentrySecret: e.SENTRY_CLIENT_SECRET,
    monitorsFile: e.MONITORS_FILE,
    github: Object.freeze(github.config),
    shutdownGraceMs: e.SHUTDOWN_GRACE,
    alertmanagerToken: e.ALERTMANAGER_TOKEN,
    metricsToken: e.METRICS_TOKEN,
    redisSentinel: e.REDIS_SENTINELS && e.REDIS_SENTINEL_NAME ? Object.freeze({ sentinels: e.REDIS_SENTINELS, name: e.REDIS_SENTINEL_NAME }) : undefined,
    secretEnv(name: string): string | undefined {
      if (isReservedEnv(name)) return undefined;
      return Object.hasOwn(snapshot, name) ? snapshot[name] : undefined;
    },
  });
}

/** RUNBOOKS_DIR alone, for offline tools (`tzero lint`) that need no Slack or Redis settings. */
export function runbooksDir(env: NodeJS.ProcessEnv = process.env): string {
  return RunbooksDir.parse(env.RUNBOOKS_DIR);
}

/** REDIS_URL and TZERO_KEY_PREFIX alone, for `tzero report` (the only CLI command that reads Redis). */
export function storeSettings(env: NodeJS.ProcessEnv = process.env): { redisUrl: string; keyPrefix: string } {
  const e = Env.pick({ REDIS_URL: true, TZERO_KEY_PREFIX: true }).parse(env);
  return { redisUrl: e.REDIS_URL, keyPrefix: e.TZERO_KEY_PREFIX };
}
