// tzero's own configuration, in one place: a runbook may not declare any of these as `secrets`
// (refused at validation) and config.secretEnv never hands them out. Helpers that add settings
// add their names here, not in a list of their own.
/** Settings read by loadConfig, and the tokens of the integrations tzero talks to. */
export const RESERVED_ENV: readonly string[] = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SLACK_API_URL',
  'PORT',
  'REDIS_URL',
  'RUNBOOKS_DIR',
  'LOG_LEVEL',
  'SENTRY_CLIENT_SECRET',
  'MONITORS_FILE',
  'SHUTDOWN_GRACE',
  'GITHUB_API_URL',
  'ALERTMANAGER_TOKEN',
  'METRICS_TOKEN',
  'GITHUB_TOKEN',
  'GITHUB_APP_ID',
  'GITHUB_APP_PRIVATE_KEY',
  'GITHUB_APP_INSTALLATION_ID',
  'GITHUB_API_URL',
  'GITHUB_WEBHOOK_SECRET',
  'REDIS_SENTINELS',
  'REDIS_SENTINEL_PASSWORD',
  'REDIS_PASSWORD',
];

/** Whole families: every TZERO_* setting, and any Slack or GitHub App credential added later. */
const RESERVED_PREFIXES = ['TZERO_', 'SLACK_', 'GITHUB_APP_', 'REDIS_SENTINEL'];

/**
 * Is `name` tzero's own? `extra` adds names known only at run time: the variables a monitor
 * reads its connection URL from (`url_env`), which carry passwords of their own.
 */
export function isReservedEnv(name: string, extra: Iterable<string> = []): boolean {
  if (RESERVED_ENV.includes(name) || RESERVED_PREFIXES.some((p) => name.startsWith(p))) return true;
  for (const e of extra) if (e === name) return true;
  return false;
}

/** Why a runbook may not read `name`, for the validation message. */
export function reservedReason(name: string, extra: Iterable<string> = []): string | null {
  if (!isReservedEnv(name)) {
    return [...extra].includes(name) ? `${name} is read by a monitor (url_env); a runbook cannot read it` : null;
  }
  return `${name} is tzero's own configuration; a runbook cannot read it`;
}
