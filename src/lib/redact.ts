// Secrets never reach Slack, logs, reports or Redis: every string tzero stores or shows passes
// through a redactor built from the run's secret values. It also masks the forms tzero itself
// derives from a value (URL-encoded in a request URL, JSON-escaped in a body, lower-cased in a DNS
// error), matching without regard to case.
import { escapeMrkdwn } from './mrkdwn.js';

export type Redact = (text: string) => string;

export const MASK = '•••';

/** Very short values (e.g. "1") would mask innocent text; they are too weak to be secrets anyway. */
const MIN_SECRET = 4;

// The WHATWG URL percent-encode sets (https://url.spec.whatwg.org/#percent-encoded-bytes).
const QUERY_SET = ` "#<>'`;
const PATH_SET = ` "#<>?\`{}^`;
const USERINFO_SET = `${PATH_SET}/:;=@[\\]|`;

function percentEncode(value: string, set: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    out += code < 0x20 || code > 0x7e || set.includes(ch) ? encodeURIComponent(ch).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`) : ch;
  }
  return out;
}

/** The value and the encodings of it that tzero's own code paths produce. */
export function secretForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const forms = [
    value,
    json,
    JSON.stringify(json).slice(1, -1), // a JSON body quoted again inside a JSON document
    escapeMrkdwn(value), // in a Slack text composed with md
    ...encoded(value),
  ];
  return [...new Set(forms)].filter((f) => f.length >= MIN_SECRET);
}

function encoded(value: string): string[] {
  try {
    return [
      encodeURIComponent(value),
      encodeURI(value),
      // What `new URL()` (and so fetch) makes of a value in a query, a path or a user:password.
      percentEncode(value, QUERY_SET), // `p@ss%20w0rd`
      percentEncode(value, PATH_SET),
      percentEncode(value, USERINFO_SET),
      new URLSearchParams({ v: value }).toString().slice(2), // form encoding: spaces as `+`
    ];
  } catch {
    return []; // a lone surrogate has no URL form
  }
}

export interface SecretMatcher {
  redact: Redact;
  /** Masked ranges `[start, end)` of `text`, sorted and merged. */
  ranges(text: string): Array<[number, number]>;
  /** Length of the longest end of `text` that could be the start of a secret (kept back by streams). */
  pendingPrefix(text: string): number;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function secretMatcher(secretValues: Iterable<string>): SecretMatcher {
  const values = [...new Set(secretValues)].filter((v) => v.length >= MIN_SECRET);
  const forms = [...new Set(values.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  const patterns = forms.map((f) => new RegExp(escapeRegExp(f), 'gi'));
  const lowered = forms.map((f) => f.toLowerCase());
  const longest = forms[0]?.length ?? 0;

  const ranges = (text: string): Array<[number, number]> => {
    const found: Array<[number, number]> = [];
    for (const re of patterns) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        found.push([m.index, m.index + m[0].length]);
        re.lastIndex = m.index + 1; // overlapping occurrences of two secrets are both masked
      }
    }
    found.sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const r of found) {
      const last = merged.at(-1);
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([...r]);
    }
    return merged;
  };

  const redact: Redact = (text) => {
    if (!forms.length || !text) return text;
    const masked = ranges(text);
    if (!masked.length) return text;
    let out = '';
    let at = 0;
    for (const [s, e] of masked) {
      out += text.slice(at, s) + MASK;
      at = e;
    }
    return out + text.slice(at);
  };

  const pendingPrefix = (text: string): number => {
    for (let k = Math.min(text.length, longest - 1); k > 0; k--) {
      const end = text.slice(-k).toLowerCase();
      if (lowered.some((f) => f.length > k && f.startsWith(end))) return k;
    }
    return 0;
  };

  return { redact, ranges, pendingPrefix };
}

export function createRedactor(secretValues: Iterable<string>): Redact {
  return secretMatcher(secretValues).redact;
}

/**
 * Redacts a stream written in pieces: a secret split between two writes (or between stdout and
 * stderr) is masked whole, because the end that could begin a secret is kept back until the
 * next piece shows whether it does.
 */
export class StreamRedactor {
  private held = '';

  constructor(private readonly matcher: SecretMatcher) {}

  /** The redacted text that is safe to pass on now. */
  push(chunk: string): string {
    const text = this.held + chunk;
    let cut = text.length - this.matcher.pendingPrefix(text);
    // Ranges are disjoint: walking from the end, one that straddles the cut moves it to its start.
    for (const [s, e] of this.matcher.ranges(text).reverse()) if (s < cut && e > cut) cut = s;
    this.held = text.slice(cut);
    return this.matcher.redact(text.slice(0, cut));
  }

  /** The end of the stream: whatever was kept back, redacted. */
  end(): string {
    const rest = this.held;
    this.held = '';
    return this.matcher.redact(rest);
  }
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
