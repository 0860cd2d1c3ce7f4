// One view of a commit's checks: GitHub Actions reports check runs, CircleCI and most other CIs
// report commit statuses, so both are read and put on one scale (pending, success, failure).
import { splitRepo } from './request-util.js';
import type { GitHub } from './client.js';

export interface Check {
  name: string;
  kind: 'status' | 'check run';
  state: 'pending' | 'success' | 'failure';
  /** What GitHub says: the status state, or the check run's status/conclusion. */
  detail: string;
  url: string | null;
}

// Branch protection counts neutral and skipped as passing.
const GREEN = new Set(['success', 'neutral', 'skipped']);

export async function readChecks(gh: GitHub, repo: string, ref: string): Promise<{ sha: string; checks: Check[] }> {
  const r = splitRepo(repo);
  const [combined, runs] = await Promise.all([
    gh.rest.repos.getCombinedStatusForRef({ ...r, ref, per_page: 100 }),
    gh.paginate(gh.rest.checks.listForRef, { ...r, ref, per_page: 100 }),
  ]);
  const statuses: Check[] = combined.data.statuses.map((s) => ({
    name: s.context,
    kind: 'status',
    state: s.state === 'success' ? 'success' : s.state === 'pending' ? 'pending' : 'failure',
    detail: s.state,
    url: s.target_url ?? null,
  }));
  const checkRuns: Check[] = runs.map((c) => ({
    name: c.name,
    kind: 'check run',
    state: c.status !== 'completed' ? 'pending' : GREEN.has(c.conclusion ?? '') ? 'success' : 'failure',
    detail: c.status !== 'completed' ? c.status : (c.conclusion ?? 'unknown'),
    url: c.details_url ?? c.html_url ?? null,
  }));
  return { sha: combined.data.sha, checks: [...statuses, ...checkRuns] };
}

export const describeCheck = (c: Check) => `${c.name}: ${c.detail}${c.url ? ` (${c.url})` : ''}`;
