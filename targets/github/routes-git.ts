// Refs, commits, compare and merges (GitHub REST: git/ref, git/refs, git/commits, commits,
// compare, merges), with GitHub's answers: 204 nothing to merge, 409 conflict, 422 not a
// fast-forward.
import { fail, type Router } from './http.js';
import { iso, type RepoWorld } from './world.js';

export function gitRoutes(router: Router, repoOf: (owner: string, name: string) => RepoWorld, url: string): void {
  const refBody = (w: RepoWorld, branch: string, sha: string) => ({
    ref: `refs/heads/${branch}`, node_id: `REF_${branch}`, url: `${url}/repos/${w.fullName}/git/refs/heads/${branch}`,
    object: { type: 'commit', sha, url: `${url}/repos/${w.fullName}/git/commits/${sha}` },
  });
  const branchOf = (ref: string) => (ref.startsWith('heads/') ? ref.slice('heads/'.length) : fail(404, 'Not Found'));
  const commitBody = (w: RepoWorld, sha: string) => {
    const c = w.git.commits.get(sha) ?? fail(404, 'Not Found');
    return { sha, node_id: `C_${sha}`, html_url: `${url}/${w.fullName}/commit/${sha}`, commit: { message: c.message }, parents: c.parents.map((p) => ({ sha: p })), files: c.paths.map((filename) => ({ filename })) };
  };

  router
    .on('GET', 'repos/:owner/:repo/git/ref/*ref', ({ params }) => {
      const w = repoOf(params.owner!, params.repo!);
      const branch = branchOf(params.ref!);
      const sha = w.git.branches.get(branch) ?? fail(404, 'Not Found');
      return { status: 200, body: refBody(w, branch, sha) };
    })
    .on('PATCH', 'repos/:owner/:repo/git/refs/*ref', ({ params, body }) => {
      const w = repoOf(params.owner!, params.repo!);
      const branch = branchOf(params.ref!);
      const current = w.git.branches.get(branch) ?? fail(422, 'Reference does not exist');
      const sha = typeof body.sha === 'string' ? body.sha : fail(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
      if (!w.git.commits.has(sha)) fail(422, 'Object does not exist');
      if (body.force !== true && !w.git.isAncestor(current, sha)) fail(422, 'Update is not a fast forward');
      w.git.move(branch, sha);
      return { status: 200, body: refBody(w, branch, sha) };
    })
    .on('GET', 'repos/:owner/:repo/git/commits/:sha', ({ params }) => {
      const w = repoOf(params.owner!, params.repo!);
      return { status: 200, body: commitBody(w, params.sha!) };
    })
    .on('GET', 'repos/:owner/:repo/commits/:ref', ({ params }) => {
      const w = repoOf(params.owner!, params.repo!);
      const sha = w.git.resolve(params.ref!) ?? fail(422, `No commit found for SHA: ${params.ref}`);
      return { status: 200, body: commitBody(w, sha) };
    })
    .on('GET', 'repos/:owner/:repo/compare/:basehead', ({ params }) => {
      const w = repoOf(params.owner!, params.repo!);
      const [b, h] = params.basehead!.split('...');
      const base = w.git.resolve(b ?? '') ?? fail(404, 'Not Found');
      const head = w.git.resolve(h ?? '') ?? fail(404, 'Not Found');
      const mb = w.git.mergeBase(base, head);
      const ahead = w.git.countSince(base, head);
      const behind = w.git.countSince(head, base);
      const status = !ahead && !behind ? 'identical' : ahead && behind ? 'diverged' : ahead ? 'ahead' : 'behind';
      const files = [...w.git.pathsSince(mb, head)].map((filename) => ({ filename, status: 'modified' }));
      return { status: 200, body: { status, ahead_by: ahead, behind_by: behind, total_commits: ahead, merge_base_commit: mb ? { sha: mb } : null, files } };
    })
    .on('POST', 'repos/:owner/:repo/merges', ({ params, body }) => {
      const w = repoOf(params.owner!, params.repo!);
      const base = String(body.base ?? '');
      if (!w.git.branches.has(base)) fail(404, 'Base does not exist');
      const head = w.git.resolve(String(body.head ?? '')) ?? fail(404, 'Head does not exist');
      const result = w.git.merge(base, head, typeof body.commit_message === 'string' ? body.commit_message : `Merge ${body.head} into ${base}`);
      if (result.kind === 'nothing') return { status: 204 };
      if (result.kind === 'conflict') fail(409, 'Merge conflict');
      const sha = (result as { sha: string }).sha;
      return { status: 201, body: { ...commitBody(w, sha), commit: { message: w.git.commits.get(sha)!.message, committer: { date: iso() } } } };
    });
}
