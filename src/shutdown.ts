// SIGTERM / SIGINT: drain, then leave — always within the grace period plus a few seconds, even
// when Redis is gone (every step of tzero.stop() is bounded, and a hard deadline backs them up).
// A second signal means "now". No step's process group outlives tzero: they are killed on exit.
import type { Logger } from 'pino';
import { killAllGroups } from './lib/process-runner.js';

/** After the grace: time for killed steps to be recorded and for everything to close. */
export const CLOSE_BUDGET_MS = 10_000;

export interface Stoppable {
  log: Logger;
  stop(graceMs?: number): Promise<void>;
}

export function installShutdown(tzero: Stoppable, graceMs: number, exit: (code: number) => never = process.exit): void {
  let stopping = false;
  process.on('exit', () => void killAllGroups('SIGKILL'));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) {
        tzero.log.warn({ signal }, 'second signal: exiting now');
        exit(1);
      }
      stopping = true;
      tzero.log.info({ signal, graceMs }, 'shutting down');
      const hard = setTimeout(() => {
        tzero.log.error({ graceMs }, 'shutdown took too long; exiting');
        exit(1);
      }, graceMs + CLOSE_BUDGET_MS);
      void tzero.stop(graceMs).then(
        () => exit(0),
        (err: unknown) => {
          tzero.log.error({ err }, 'shutdown failed');
          clearTimeout(hard);
          exit(1);
        },
      );
    });
  }
}
