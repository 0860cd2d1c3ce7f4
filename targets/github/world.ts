// Everything the GitHub stand-in holds besides git: statuses, check runs, workflow runs,
// deployments, pull requests, and the tokens it accepts.
import { RepoState } from './repo-state.js';

export interface CommitStatus {
  id: number;
  state: 'error' | 'failure' | 'pending' | 'success';
  context: string;
  description: string | null;
  target_url: string | null;
  created_at: string;
  updated_at: string;
}

export interface CheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  html_url: string;
  details_url: string | null;
}

export interface Workflow {
  id: number;
  name: string;
  path: string;
}

export interface WorkflowRun {
  id: number;
  name: string;
  workflow_id: number;
  head_branch: string;
  head_sha: string;
  event: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  actor: string;
  inputs: Record<string, unknown>;
  html_url: string;
  created_at: string;
  updated_at: string;
}

export interface Deployment {
  id: number;
  ref: string;
  sha: string;
  task: string;
  environment: string;
  description: string;
  payload: unknown;
  creator: string;
  created_at: string;
  statuses: { id: number; state: string; log_url: string; description: string; environment: string; created_at: string }[];
}

export interface Pull {
  number: number;
  title: string;
  state: 'open' | 'closed';
  base: string;
  head: string;
  user: string;
}

export class RepoWorld {
  readonly git: RepoState;
  readonly statuses = new Map<string, CommitStatus[]>();
  readonly checkRuns: CheckRun[] = [];
  readonly workflows: Workflow[] = [];
  readonly runs: WorkflowRun[] = [];
  readonly deployments: Deployment[] = [];
  readonly pulls: Pull[] = [];

  constructor(readonly fullName: string) {
    this.git = new RepoState(fullName);
  }

  /** Latest status per context for a commit, newest first (GitHub's combined view). */
  latestStatuses(sha: string): CommitStatus[] {
    const seen = new Set<string>();
    return [...(this.statuses.get(sha) ?? [])].reverse().filter((s) => !seen.has(s.context) && seen.add(s.context));
  }

  combinedState(sha: string): string {
    const latest = this.latestStatuses(sha);
    if (latest.some((s) => s.state === 'error' || s.state === 'failure')) return 'failure';
    if (!latest.length || latest.some((s) => s.state === 'pending')) return 'pending';
    return 'success';
  }
}

export const iso = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
