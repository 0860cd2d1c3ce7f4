// Durations as operators write them in runbooks: "90s", "2m", "1h30m", "500ms", "3d", "1w".
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const DURATION = /^(?:\d+(?:ms|s|m|h|d|w))+$/;
const PART = /(\d+)(ms|s|m|h|d|w)/g;
// A step's place on the timeline: T-0, T-7d, T+48h, T+1h30m.
const OFFSET = /^T(?:[+-]?0|([+-])((?:\d+(?:ms|s|m|h|d|w))+))$/;

export function isDuration(text: string): boolean {
  return DURATION.test(text);
}

/** Parses a duration into milliseconds; throws on anything else. */
export function parseDuration(text: string): number {
  if (!isDuration(text)) throw new Error(`not a duration: "${text}" (use e.g. 90s, 2m, 1h30m)`);
  let total = 0;
  for (const [, n, unit] of text.matchAll(PART)) total += Number(n) * UNIT_MS[unit!]!;
  return total;
}

export function isOffset(text: string): boolean {
  return OFFSET.test(text);
}

/** `T-7d` → -604800000; `T-0` → 0. Throws on anything else. */
export function parseOffset(text: string): number {
  const m = OFFSET.exec(text);
  if (!m) throw new Error(`not a time offset: "${text}" (use e.g. T-7d, T-1h, T-0, T+48h)`);
  if (!m[2]) return 0;
  return (m[1] === '-' ? -1 : 1) * parseDuration(m[2]);
}

/** Formats milliseconds the way thread messages show them: "6m16s", "850ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  let s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || (!h && !m) ? `${s}s` : ''}`;
}
