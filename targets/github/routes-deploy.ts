// Deployments and their statuses, pull requests, and GET /user.
import { fail, type Router } from './http.js';
import { iso, type Deployment, type RepoWorld } from './world.js';

const DEPLOY_STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];

export function deployRoutes(router: Router, repoOf: (owner: string, name: string) => RepoWorld, url: string, nextId: () => number): void {
  const body = (w: RepoWorld, d: Deployment) => {
    const { statuses: _statuses, ...rest } = d;
    return { ...rest, url: `${url}/repos/${w.fullName}/deployments/${d.id}`, statuses_url: `${url}/repos/${w.fullName}/deployments/${d.id}/statuses`, creator: { login: d.creator } };
  };
  router
    .on('POST', 'repos/:owner/:repo/deployments', ({ params, body: b, actor }) => {
      const w = repoOf(params.owner!, params.repo!);
      const ref = String(b.ref ?? '');
      const sha = w.git.resolve(ref) ?? fail(422, `No ref found for: ${ref}`);
      if (b.auto_merge !== false) fail(422, 'the stand-in only supports auto_merge: false (tzero never lets GitHub merge on its own)');
      const d: Deployment = { id: nextId(), ref, sha, task: String(b.task ?? 'deploy'), environment: String(b.environment ?? 'production'), description: String(b.description ?? ''), payload: b.payload ?? {}, creator: actor, created_at: iso(), statuses: [] };
      w.deployments.push(d);
      return { status: 201, body: body(w, d) };
    })
    .on('GET', 'repos/:owner/:repo/deployments', ({ params, query }) => {
      const w = repoOf(params.owner!, params.repo!);
      const list = w.deployments
        .filter((d) => !query.get('environment') || d.environment === query.get('environment'))
        .filter((d) => !query.get('ref') || d.ref === query.get('ref'))
        .reverse();
      return { status: 200, body: list.map((d) => body(w, d)) };
    })
    .on('POST', 'repos/:owner/:repo/deployments/:id/statuses', ({ params, body: b }) => {
      const w = repoOf(params.owner!, params.repo!);
      const d = w.deployments.find((x) => String(x.id) === params.id) ?? fail(404, 'Not Found');
      if (!DEPLOY_STATES.includes(String(b.state))) fail(422, 'Validation Failed', { errors: [{ resource: 'DeploymentStatus', field: 'state', code: 'invalid' }] });
      if (typeof b.description === 'string' && b.description.length > 140) fail(422, 'Validation Failed', { errors: [{ resource: 'DeploymentStatus', field: 'description', code: 'custom', message: 'description is too long (maximum is 140 characters)' }] });
      const s = { id: nextId(), state: String(b.state), log_url: String(b.log_url ?? ''), description: String(b.description ?? ''), environment: String(b.environment ?? d.environment), created_at: iso() };
      d.statuses.push(s);
      return { status: 201, body: { ...s, target_url: s.log_url, deployment_url: `${url}/repos/${w.fullName}/deployments/${d.id}` } };
    })
    .on('GET', 'repos/:owner/:repo/deployments/:id/statuses', ({ params }) => {
      const w = repoOf(params.owner!, params.repo!);
      const d = w.deployments.find((x) => String(x.id) === params.id) ?? fail(404, 'Not Found');
      return { status: 200, body: [...d.statuses].reverse() };
    })
    .on('GET', 'repos/:owner/:repo/pulls', ({ params, query }) => {
      const w = repoOf(params.owner!, params.repo!);
      const state = query.get('state') ?? 'open';
      const list = w.pulls.filter((p) => (state === 'all' || p.state === state) && (!query.get('base') || p.base === query.get('base')));
      return {
        status: 200,
        body: list.map((p) => ({ number: p.number, title: p.title, state: p.state, html_url: `${url}/${w.fullName}/pull/${p.number}`, user: { login: p.user }, base: { ref: p.base }, head: { ref: p.head } })),
      };
    })
    .on('GET', 'user', ({ actor }) =>
      // Like GitHub: an installation token is not a user.
      actor.endsWith('[bot]') ? fail(403, 'Resource not accessible by integration') : { status: 200, body: { login: actor, type: 'User' } },
    );
}
