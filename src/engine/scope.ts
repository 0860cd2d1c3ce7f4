// The expression scope of a run at a point in time, and the secrets it may read.
import { rememberSecrets } from '../lib/known-secrets.js';
import type { Run } from './types.js';

export type SecretSource = (name: string) => string | undefined;

export function runSecrets(run: Run, source: SecretSource): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of run.runbook.secrets) {
    const v = source(name);
    if (v !== undefined) out.set(name, v);
  }
  rememberSecrets(out.values()); // so the log writer masks them too
  return out;
}

export function runScope(run: Run, secrets: ReadonlyMap<string, string>) {
  return {
    vars: run.runbook.vars,
    secrets,
    steps: Object.fromEntries(run.steps.map((s) => [s.id, { outputs: s.outputs }])),
    run: { id: run.id, dry_run: run.dryRun, started_by: run.startedBy },
  };
}
