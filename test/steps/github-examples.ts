// How the registry conformance test runs the github.* examples: against the GitHub stand-in,
// with the world each example needs (a CI status, a workflow run finishing, no open PRs), and
// a check that the stand-in was really asked.
import { expect } from 'vitest';
import type { StepDefinition } from '../../src/steps/define-step.js';
import { REPO, type GitHubFixture } from '../support/github.js';
import { runStep } from '../support/step-context.js';

export async function runGitHubExample(def: StepDefinition, w: Record<string, unknown>, f: GitHubFixture, expressions: (e: string) => string): Promise<void> {
  const repo = f.gh.repo(REPO);
  const before = f.gh.requests().length;
  const opts = { github: f.clientFor, expressions };
  switch (def.id) {
    case 'github.merge': {
      repo.git.move('production', f.shas.base);
      repo.git.commit(String(w.head), `work on ${w.head}`, [`${w.head}.txt`]);
      const r = await runStep(def, w, opts);
      expect(repo.git.branches.get('production')).toBe(r.outputs!.sha);
      break;
    }
    case 'github.ref': {
      // The example's shas stand for "before the merge" and "the merge": map them onto the stand-in's.
      const merged = repo.git.commit('production', 'merge', ['m']);
      await runStep(def, { ...w, sha: f.shas.base, expect: merged }, opts);
      expect(repo.git.branches.get('production')).toBe(f.shas.base);
      break;
    }
    case 'github.checks': {
      for (const ref of ['production', 'master']) {
        const sha = repo.git.resolve(ref)!;
        repo.statuses.set(sha, ['ci/circleci: deploy', 'ci/circleci: build'].map((context, id) => ({ id, state: 'success' as const, context, description: null, target_url: null, created_at: '', updated_at: '' })));
        repo.checkRuns.push({ id: 1, name: 'tests', head_sha: sha, status: 'completed', conclusion: 'success', html_url: 'u', details_url: null });
      }
      const r = await runStep(def, w, opts);
      expect(Object.values(r.outputs!.checks as object).every((v) => v === 'success')).toBe(true);
      break;
    }
    case 'github.workflow': {
      const count = repo.runs.length;
      // The stand-in's "runner" finishes every queued run as soon as it is created.
      const finish = setInterval(() => repo.runs.forEach((r) => r.status !== 'completed' && Object.assign(r, { status: 'completed', conclusion: 'success' })), 20);
      try {
        const r = await runStep(def, w, opts);
        expect(repo.runs.length).toBe(count + 1);
        expect(r.outputs!.run_id).toBe(repo.runs.at(-1)!.id);
      } finally {
        clearInterval(finish);
      }
      break;
    }
    case 'github.pulls':
      await runStep(def, w, opts);
      break;
    default:
      throw new Error(`no way to run examples of ${def.id}`);
  }
  expect(f.gh.requests().length, 'the GitHub stand-in must have been asked').toBeGreaterThan(before);
}
