// Percentiles, a concurrency-limited load loop, and a process's CPU time.
import { readFileSync } from 'node:fs';

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarize(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { n: s.length, p50: r(percentile(s, 50)), p99: r(percentile(s, 99)), max: r(s[s.length - 1] ?? NaN) };
}

export interface LoadResult {
  samples: number[];
  wallMs: number;
  /** Mean number of requests awaiting their ack: sum of latencies / wall time. */
  meanInFlight: number;
}

/**
 * Runs `total` requests from `concurrency` clients; client `slot` sends its next request when
 * `send` resolves. `send` returns the latency to record (the ack), in ms.
 */
export async function runLoad(total: number, concurrency: number, send: (slot: number, n: number) => Promise<number>): Promise<LoadResult> {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  const client = async (slot: number) => {
    while (next < total) samples.push(await send(slot, next++));
  };
  await Promise.all(Array.from({ length: concurrency }, (_, slot) => client(slot)));
  const wallMs = performance.now() - started;
  const busy = samples.reduce((a, b) => a + b, 0);
  return { samples, wallMs, meanInFlight: Math.round((busy / wallMs) * 10) / 10 };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `rounds` bursts of `concurrency` requests sent at once: `prepare` (untimed) runs before each
 * burst, `send` returns the ack latency, `settle` (untimed) runs after every ack is in.
 */
export async function runRounds(
  rounds: number, concurrency: number, send: (slot: number, n: number) => Promise<number>,
  hooks: { prepare?: (slot: number) => Promise<unknown>; settle?: (slot: number, n: number) => Promise<unknown> } = {},
): Promise<LoadResult> {
  const samples: number[] = [];
  let wallMs = 0;
  const slots = Array.from({ length: concurrency }, (_, slot) => slot);
  for (let r = 0; r < rounds; r++) {
    await Promise.all(slots.map((slot) => hooks.prepare?.(slot)));
    const started = performance.now();
    samples.push(...(await Promise.all(slots.map((slot) => send(slot, r * concurrency + slot)))));
    wallMs += performance.now() - started;
    await Promise.all(slots.map((slot) => hooks.settle?.(slot, r * concurrency + slot)));
  }
  const busy = samples.reduce((a, b) => a + b, 0);
  return { samples, wallMs, meanInFlight: Math.round((busy / wallMs) * 10) / 10 };
}

/** utime + stime of a process, in ms (Linux /proc; clock ticks assumed 100/s). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}
