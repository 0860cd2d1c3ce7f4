// Commit statuses, check runs and GitHub Actions workflow runs (dispatch, list, get, cancel).
import { fail, type Router } from './http.js';
import { iso, type CheckRun, type RepoWorld, type WorkflowRun } from './world.js';

export interface CiOptions {
  /** Answer a dispatch with the run id (api.github.com since 2026-02) or with 204 only (GHES). */
  returnRunDetails: () => boolean;
  nextId: () => number;
}

const STATES = ['error', 'failure', 'pending', 'success'];

export function ciRoutes(router: Router, repoOf: (owner: string, name: string) => RepoWorld, url: string, o: CiOptions): void {
  const runBody = (w: RepoWorld, r: WorkflowRun) => ({ ...r, url: `${url}/repos/${w.fullName}/actions/runs/${r.id}`, path: w.workflows.find((x) => x.id === r.workflow_id)?.path });
  const workflowOf = (w: RepoWorld, id: string) => w.workflows.find((x) => String(x.id) === id || x.path.endsWith(`/${id}`)) ?? fail(404, 'Not Found');

  router
    .on('POST', 'repos/:owner/:repo/statuses/:sha', ({ params, body }) => {
      const w = repoOf(params.owner!, params.repo!);
      if (!w.git.commits.has(params.sha!)) fail(422, 'No commit found for SHA: ' + params.sha);
      if (!STATES.includes(String(body.state))) fail(422, 'Validation Failed', { errors: [{ resource: 'Status', field: 'state', code: 'custom' }] });
      const s = { id: o.nextId(), state: body.state as 'success', context: String(body.context ?? 'default'), description: (body.description as string) ?? null, target_url: (body.target_url as string) ?? null, created_at: iso(), updated_at: iso() };
      w.statuses.set(params.sha!, [...(w.statuses.get(params.sha!) ?? []), s]);
      return { status: 201, body: s };
    })
    .on('GET', 'repos/:owner/:repo/commits/:ref/status', ({ params }) => {
      const w = repoOf(params.owner!, params.repo!);
      const sha = w.git.resolve(params.ref!) ?? fail(404, 'Not Found');
      const statuses = w.latestStatuses(sha);
      return { status: 200, body: { state: w.combinedState(sha), sha, total_count: statuses.length, statuses } };
    })
    .on('POST', 'repos/:owner/:repo/check-runs', ({ params, body }) => {
      const w = repoOf(params.owner!, params.repo!);
      const id = o.nextId();
      const run: CheckRun = { id, name: String(body.name), head_sha: String(body.head_sha), status: (body.status as CheckRun['status']) ?? 'queued', conclusion: (body.conclusion as string) ?? null, html_url: `${url}/${w.fullName}/runs/${id}`, details_url: (body.details_url as string) ?? null };
      if (run.conclusion) run.status = 'completed';
      w.checkRuns.push(run);
      return { status: 201, body: run };
    })
    .on('PATCH', 'repos/:owner/:repo/check-runs/:id', ({ params, body }) => {
      const w = repoOf(params.owner!, params.repo!);
      const run = w.checkRuns.find((r) => String(r.id) === params.id) ?? fail(404, 'Not Found');
      Object.assign(run, body.status ? { status: body.status } : {}, body.conclusion ? { conclusion: body.conclusion, status: 'completed' } : {});
      return { status: 200, body: run };
    })
    .on('GET', 'repos/:owner/:repo/commits/:ref/check-runs', ({ params }) => {
      const w = repoOf(params.owner!, params.repo!);
      const sha = w.git.resolve(params.ref!) ?? fail(404, 'Not Found');
      const runs = w.checkRuns.filter((r) => r.head_sha === sha);
      return { status: 200, body: { total_count: runs.length, check_runs: runs } };
    })
    .on('POST', 'repos/:owner/:repo/actions/workflows/:id/dispatches', ({ params, body, actor }) => {
      const w = repoOf(params.owner!, params.repo!);
      const wf = workflowOf(w, params.id!);
      const ref = String(body.ref ?? '');
      const sha = w.git.resolve(ref) ?? fail(422, `No ref found for: ${ref}`);
      const inputs = (body.inputs as Record<string, unknown>) ?? {};
      if (Object.keys(inputs).length > 25) fail(422, 'you may only define up to 25 `inputs` for a `workflow_dispatch` event');
      const id = o.nextId();
      const run: WorkflowRun = { id, name: wf.name, workflow_id: wf.id, head_branch: ref.replace(/^refs\/heads\//, ''), head_sha: sha, event: 'workflow_dispatch', status: 'queued', conclusion: null, actor, inputs, html_url: `${url}/${w.fullName}/actions/runs/${id}`, created_at: iso(), updated_at: iso() };
      w.runs.push(run);
      if (body.return_run_details === true && o.returnRunDetails()) {
        return { status: 200, body: { workflow_run_id: id, run_url: `${url}/repos/${w.fullName}/actions/runs/${id}`, html_url: run.html_url } };
      }
      return { status: 204 };
    })
    .on('GET', 'repos/:owner/:repo/actions/workflows/:id/runs', ({ params, query }) => {
      const w = repoOf(params.owner!, params.repo!);
      const wf = workflowOf(w, params.id!);
      const created = query.get('created');
      const since = created?.startsWith('>=') ? Date.parse(created.slice(2)) : undefined;
      const runs = w.runs
        .filter((r) => r.workflow_id === wf.id)
        .filter((r) => !query.get('branch') || r.head_branch === query.get('branch'))
        .filter((r) => !query.get('event') || r.event === query.get('event'))
        .filter((r) => !query.get('actor') || r.actor === query.get('actor'))
        .filter((r) => since === undefined || Date.parse(r.created_at) >= since)
        .reverse();
      return { status: 200, body: { total_count: runs.length, workflow_runs: runs.map((r) => runBody(w, r)) } };
    })
    .on('GET', 'repos/:owner/:repo/actions/runs/:id', ({ params }) => {
      const w = repoOf(params.owner!, params.repo!);
      const run = w.runs.find((r) => String(r.id) === params.id) ?? fail(404, 'Not Found');
      return { status: 200, body: runBody(w, run) };
    })
    .on('POST', 'repos/:owner/:repo/actions/runs/:id/cancel', ({ params }) => {
      const w = repoOf(params.owner!, params.repo!);
      const run = w.runs.find((r) => String(r.id) === params.id) ?? fail(404, 'Not Found');
      if (run.status === 'completed') fail(409, 'Cannot cancel a workflow run that is completed.');
      Object.assign(run, { status: 'completed', conclusion: 'cancelled', updated_at: iso() });
      return { status: 202, body: {} };
    });
}
