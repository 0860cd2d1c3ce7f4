// What the runner needs from the outside world, wired once in src/app.ts.
import type { Logger } from 'pino';
import type { GitHub } from '../github/client.js';
import type { JobSink } from '../jobs/step-queue.js';
import type { RunMessages } from './messages.js';
import type { RunStore } from './run-store.js';
import type { SecretSource } from './scope.js';
import type { Executions } from './executions.js';

/** Alert silences set by steps (src/alerts/silence-hooks.ts); absent when alerts are off. */
export interface SilenceHooks {
  silence(runId: string, stepId: string, monitors: string[], until?: number): Promise<void>;
  unsilence(runId: string, monitors: string[]): Promise<void>;
  /** The run ended: its silences end too, and what they kept back is listed. */
  endForRun(runId: string): Promise<void>;
}

/** Posts a run's report (src/report/publish.ts); absent where no Slack upload is wired. */
export interface ReportSink {
  /** The run ended: post its report once for this end. */
  ended(runId: string): Promise<void>;
  /** Someone asked for it: post it (again). */
  requested(runId: string): Promise<void>;
}

export interface Runtime {
  store: RunStore;
  jobs: JobSink;
  messages: RunMessages;
  secrets: SecretSource;
  log: Logger;
  /** Aborts in-flight executions of a run in this process (fed by the abort pub/sub). */
  aborts: AbortRegistry;
  silences?: SilenceHooks;
  reports?: ReportSink;
  /** Alert state the rollback window reads (when alerts are on). */
  alerts?: { firingSince(groupKey: string): Promise<number | null> };
  /** GitHub clients for the github.* steps (src/github/clients.ts); absent in processes without GitHub. */
  github?: { get(token?: string): GitHub };
  now(): number;
  /** Live step executions (a re-delivered job whose step is still running is not a crash). */
  executions?: Executions;
}

export class AbortRegistry {
  private readonly controllers = new Map<string, Set<AbortController>>();
  /** Set by a SIGTERM past its grace: an execution aborted now was interrupted, not aborted by a human. */
  shuttingDown = false;

  track(runId: string): AbortController {
    const c = new AbortController();
    const set = this.controllers.get(runId) ?? new Set();
    set.add(c);
    this.controllers.set(runId, set);
    return c;
  }

  release(runId: string, c: AbortController): void {
    const set = this.controllers.get(runId);
    set?.delete(c);
    if (set && !set.size) this.controllers.delete(runId);
  }

  abort(runId: string): void {
    for (const c of this.controllers.get(runId) ?? []) c.abort();
  }

  /** Shutdown: interrupts every execution in this process (their process groups are killed). */
  interruptAll(): number {
    this.shuttingDown = true;
    let n = 0;
    for (const set of this.controllers.values()) for (const c of set) n += (c.abort(), 1);
    return n;
  }
}
