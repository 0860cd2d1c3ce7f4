// A runbook cannot read tzero's own configuration as a "secret": its Slack tokens, Redis URL,
// Sentry secret, or the variables its monitors read connection URLs from. The deny list itself
// lives in src/reserved-env.ts.
import { reservedReason } from '../reserved-env.js';
import type { FieldPath } from './positions.js';

/** One problem per declared secret that names tzero's configuration (`secrets[i]`). */
export function reservedSecretProblems(secrets: unknown, monitorEnv: readonly string[] = []): Array<{ path: FieldPath; message: string }> {
  if (!Array.isArray(secrets)) return [];
  return secrets.flatMap((name, i) => {
    const why = typeof name === 'string' ? reservedReason(name, monitorEnv) : null;
    return why ? [{ path: ['secrets', i], message: why }] : [];
  });
}
