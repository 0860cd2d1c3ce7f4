// Dispatching a workflow and finding the run it created. api.github.com returns the run id
// when asked (`return_run_details`, since 2026-02); GHES answers 204 only, so the run is found by
// event, branch, creation time and (when the token is a user's) actor. A dispatch is never
// retried: after a lost answer a run may already exist.
import { messageOf, NO_RETRY, splitRepo, statusOf } from './request-util.js';
import type { GitHub } from './client.js';

export interface Dispatched {
  at: string;
  runId?: number;
  htmlUrl?: string;
}

export interface RunView {
  id: number;
  status: string;
  conclusion: string | null;
  html_url: string;
  created_at: string;
}

export async function dispatch(gh: GitHub, repo: string, workflow: string | number, ref: string, inputs: Record<string, string>, now: number): Promise<Dispatched> {
  const at = new Date(now).toISOString();
  const route = 'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches';
  const params = { ...splitRepo(repo), workflow_id: workflow, ref, inputs, ...NO_RETRY };
  try {
    const res = await gh.request(route, { ...params, return_run_details: true } as typeof params);
    const data = (res as { data?: { workflow_run_id?: number; html_url?: string } }).data;
    return data?.workflow_run_id ? { at, runId: data.workflow_run_id, htmlUrl: data.html_url } : { at };
  } catch (err) {
    // A GHES that does not know `return_run_details` refuses it with 422 (and creates nothing).
    if (statusOf(err) === 422 && /return_run_details/.test(messageOf(err))) {
      await gh.request(route, params);
      return { at };
    }
    throw err;
  }
}

/** Who dispatches with this token: a user's login, or undefined for an installation token. */
export async function actorOf(gh: GitHub): Promise<string | undefined> {
  try {
    return (await gh.rest.users.getAuthenticated()).data.login;
  } catch {
    return undefined;
  }
}

/** The earliest workflow_dispatch run on `ref` created at or after the dispatch (minus clock skew). */
export async function findRun(gh: GitHub, repo: string, workflow: string | number, ref: string, d: Dispatched, actor: string | undefined): Promise<RunView | undefined> {
  const since = new Date(Date.parse(d.at) - 5_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const { data } = await gh.rest.actions.listWorkflowRuns({ ...splitRepo(repo), workflow_id: workflow, event: 'workflow_dispatch', branch: ref, created: `>=${since}`, per_page: 20, ...(actor ? { actor } : {}) });
  const runs = [...data.workflow_runs].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  return runs[0] && view(runs[0]);
}

export async function getRun(gh: GitHub, repo: string, id: number): Promise<RunView> {
  return view((await gh.rest.actions.getWorkflowRun({ ...splitRepo(repo), run_id: id })).data);
}

/** Cancels a run; a run already finished (409) is fine. */
export async function cancelRun(gh: GitHub, repo: string, id: number): Promise<'cancelled' | 'already finished'> {
  try {
    await gh.rest.actions.cancelWorkflowRun({ ...splitRepo(repo), run_id: id, ...NO_RETRY });
    return 'cancelled';
  } catch (err) {
    if (statusOf(err) === 409) return 'already finished';
    throw err;
  }
}

const view = (r: { id: number; status: string | null; conclusion: string | null; html_url: string; created_at: string }): RunView => ({
  id: r.id, status: r.status ?? 'unknown', conclusion: r.conclusion, html_url: r.html_url, created_at: r.created_at,
});
