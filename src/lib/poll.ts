// Cancellable sleeping and "keep trying until it passes or `within` has passed" polling, shared by
// the checks (http.check, dns.check) and later by health monitors. Timers never outlive the signal.

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface PollOptions {
  /** Keep trying this long (ms); undefined or 0 = a single try. */
  withinMs?: number;
  /** Pause between tries (ms). */
  everyMs: number;
  signal: AbortSignal;
}

export interface PollOutcome<T> {
  last: T;
  attempts: number;
  elapsedMs: number;
}

/**
 * Calls `attempt` until it reports `ok`, or until another pause would cross the deadline.
 * `attempt` must turn expected failures (wrong status, network errors) into `ok: false`;
 * whatever it throws propagates, and so does an abort.
 */
export async function pollUntil<T extends { ok: boolean }>(
  options: PollOptions,
  attempt: (n: number) => Promise<T>,
): Promise<PollOutcome<T>> {
  const started = Date.now();
  const deadline = started + (options.withinMs ?? 0);
  for (let n = 1; ; n++) {
    options.signal.throwIfAborted();
    const last = await attempt(n);
    const elapsedMs = Date.now() - started;
    if (last.ok || Date.now() + options.everyMs > deadline) return { last, attempts: n, elapsedMs };
    await sleep(options.everyMs, options.signal);
  }
}
