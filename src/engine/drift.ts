// Drift since the rehearsal: a live run compares its runbook with the one the last successful
// rehearsal ran. Each step is fingerprinted (sha256 of its spec), so the start reply can name
// the steps that changed; settings outside the steps show as "(runbook settings)".
import { createHash } from 'node:crypto';
import type { Runbook } from '../runbooks/schema.js';
import type { Run } from './types.js';

export interface RehearsalRecord {
  runId: string;
  hash: string;
  at: number;
  /** step id → fingerprint of its spec, in runbook order */
  steps: Record<string, string>;
  settings: string;
}

export interface Drift {
  /** The rehearsal compared with; absent when there was none. */
  rehearsal?: { runId: string; at: number };
  /** Step ids added, removed or changed since; "(runbook settings)" for anything else. */
  changed: string[];
}

export const SETTINGS = '(runbook settings)';

const fingerprint = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

export function rehearsalRecord(run: Run): RehearsalRecord {
  const { steps, ...settings } = run.runbook;
  return { runId: run.id, hash: run.hash, at: run.endedAt ?? run.startedAt, steps: Object.fromEntries(steps.map((s) => [s.id, fingerprint(s)])), settings: fingerprint(settings) };
}

/** null when the runbook is exactly what was rehearsed. */
export function driftSince(last: RehearsalRecord | null, runbook: Runbook, hash: string): Drift | null {
  if (!last) return { changed: runbook.steps.map((s) => s.id) };
  if (last.hash === hash) return null;
  const { steps, ...settings } = runbook;
  const now = Object.fromEntries(steps.map((s) => [s.id, fingerprint(s)]));
  const changed = [
    ...(fingerprint(settings) !== last.settings ? [SETTINGS] : []),
    ...steps.filter((s) => last.steps[s.id] !== now[s.id]).map((s) => s.id),
    ...Object.keys(last.steps).filter((id) => !(id in now)).map((id) => `${id} (removed)`),
  ];
  // Same specs, different bytes (comments, formatting): a different file, nothing that runs differently.
  return { rehearsal: { runId: last.runId, at: last.at }, changed };
}

export function describeDrift(d: Drift): string {
  if (!d.rehearsal) return 'This runbook was never rehearsed (no successful dry run).';
  const since = `the last rehearsal (run ${d.rehearsal.runId}, ${new Date(d.rehearsal.at).toISOString().slice(0, 16).replace('T', ' ')} UTC)`;
  return d.changed.length ? `The runbook changed since ${since}: ${d.changed.join(', ')}.` : `The runbook file changed since ${since}, but no step or setting did (comments or formatting).`;
}
