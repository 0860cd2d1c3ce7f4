// The monitor ids a runbook may name: the monitors file's, plus tzero's own. Plain data, so it
// can cross to the parsing worker.

/** tzero watches itself (src/monitors/self-watch.ts): its step queue, its workers and Redis. */
export const SELF_QUEUE_MONITORS = ['tzero-steps'];
export const SELF_OTHER_MONITORS = ['workers', 'redis'];

export interface KnownMonitors {
  /** The monitors file, for messages. */
  file: string;
  exists: boolean;
  health: string[];
  queues: string[];
  /** Variables the monitors read connection URLs from (`url_env`): a runbook may not read them as secrets. */
  urlEnv?: string[];
  /** Changes whenever the file does (cache key). */
  stamp: string;
}
