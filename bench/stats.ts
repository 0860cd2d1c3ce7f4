// Percentiles and a concurrency-limited load loop.

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
