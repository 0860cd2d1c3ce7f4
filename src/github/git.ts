// Git reads and writes the github.merge / github.ref steps share (through Octokit).
import { messageOf, NO_RETRY, splitRepo, statusOf } from './request-util.js';
import type { GitHub } from './client.js';

export async function branchSha(gh: GitHub, repo: string, branch: string): Promise<string> {
  const { data } = await gh.rest.git.getRef({ ...splitRepo(repo), ref: `heads/${branch}` });
  return data.object.sha;
}

/** A branch name or a sha, as a sha. */
export async function commitSha(gh: GitHub, repo: string, ref: string): Promise<string> {
  const { data } = await gh.rest.repos.getCommit({ ...splitRepo(repo), ref, per_page: 1 });
  return data.sha;
}

export async function parentsOf(gh: GitHub, repo: string, sha: string): Promise<string[]> {
  const { data } = await gh.rest.git.getCommit({ ...splitRepo(repo), commit_sha: sha });
  return data.parents.map((p) => p.sha);
}

/** True when `sha` is already contained in `base` (compare says identical or behind). */
export async function contains(gh: GitHub, repo: string, base: string, sha: string): Promise<boolean> {
  const { data } = await gh.rest.repos.compareCommitsWithBasehead({ ...splitRepo(repo), basehead: `${base}...${sha}`, per_page: 1 });
  return data.status === 'identical' || data.status === 'behind';
}

/** Files changed on both sides since the merge base: where a conflict can be. */
export async function changedOnBothSides(gh: GitHub, repo: string, base: string, head: string): Promise<string[]> {
  const [theirs, ours] = await Promise.all([
    gh.rest.repos.compareCommitsWithBasehead({ ...splitRepo(repo), basehead: `${base}...${head}` }),
    gh.rest.repos.compareCommitsWithBasehead({ ...splitRepo(repo), basehead: `${head}...${base}` }),
  ]);
  const mine = new Set((ours.data.files ?? []).map((f) => f.filename));
  return (theirs.data.files ?? []).map((f) => f.filename).filter((f) => mine.has(f)).sort();
}

/** Moves a branch; GitHub's 422 (e.g. a non-forced update that is not a fast-forward) comes back as `refused`. */
export async function moveBranch(gh: GitHub, repo: string, branch: string, sha: string, force: boolean): Promise<{ refused?: string }> {
  try {
    await gh.rest.git.updateRef({ ...splitRepo(repo), ref: `heads/${branch}`, sha, force, ...NO_RETRY });
    return {};
  } catch (err) {
    if (statusOf(err) === 422) return { refused: messageOf(err) };
    throw err;
  }
}
