// Secrets never reach Slack, logs or reports: every string the engine stores for display
// passes through a redactor built from the run's secret values.
export type Redact = (text: string) => string;

const MASK = '•••';

export function createRedactor(secretValues: Iterable<string>): Redact {
  // Longest first, so a secret that contains another is masked whole. Very short values
  // (e.g. "1") would mask innocent text; they are too weak to be secrets anyway.
  const values = [...new Set(secretValues)].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length);
  if (!values.length) return (text) => text;
  return (text) => {
    let out = text;
    for (const v of values) out = out.split(v).join(MASK);
    return out;
  };
}

/** Redacts every string inside a JSON-like value. */
export function redactDeep<T>(value: T, redact: Redact): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)])) as T;
  }
  return value;
}
