// Small helpers shared by the Sentry resource mappers.
import type { AlertSeverity } from '../types.js';

/** fatal/error → critical, warning → warning, anything else (info, debug, missing) → info. */
export function severityOf(level: string | null | undefined): AlertSeverity {
  if (level === 'fatal' || level === 'error') return 'critical';
  if (level === 'warning') return 'warning';
  return 'info';
}

/** ms since epoch from an ISO date or unix seconds; `fallback` when neither parses. */
export function timeOf(fallback: number, ...candidates: Array<string | number | null | undefined>): number {
  for (const c of candidates) {
    if (typeof c === 'number' && Number.isFinite(c)) return Math.round(c * 1000);
    if (typeof c === 'string') {
      const ms = Date.parse(c);
      if (!Number.isNaN(ms)) return ms;
    }
  }
  return fallback;
}

/** "label value" lines for the values that are present. */
export function facts(pairs: Array<[string, unknown]>): string[] {
  return pairs.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => `${k} ${String(v)}`);
}

/** A tag's value from Sentry's `[[key, value]]` or `[{ key, value }]` form. */
export function tagValue(tags: unknown[] | null | undefined, key: string): string | undefined {
  for (const t of tags ?? []) {
    if (Array.isArray(t) && t[0] === key) return String(t[1]);
    if (t && typeof t === 'object' && (t as { key?: unknown }).key === key) return String((t as { value?: unknown }).value);
  }
  return undefined;
}

/** The project slug in a Sentry API URL: `…/projects/<org>/<slug>/…`. */
export function projectFromUrl(url: string | null | undefined): string | undefined {
  return url?.match(/\/projects\/[^/]+\/([^/]+)\//)?.[1];
}

export function firstOf(...values: Array<string | null | undefined>): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v.length > 0);
}
