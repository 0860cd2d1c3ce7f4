// Secret values this process has read (runbook secrets as runs use them, tzero's own tokens), so
// the log writer can mask them in every line, whatever field or error message carries them.
import { secretMatcher, type Redact } from './redact.js';

const known = new Set<string>();
let redactor: Redact = (text) => text;

export function rememberSecrets(values: Iterable<string>): void {
  let added = false;
  for (const v of values) {
    if (v && !known.has(v)) {
      known.add(v);
      added = true;
    }
  }
  if (added) redactor = secretMatcher(known).redact;
}

/** Masks every secret value seen so far (and its URL-encoded, JSON-escaped, lower-cased forms). */
export function redactKnownSecrets(text: string): string {
  return redactor(text);
}
