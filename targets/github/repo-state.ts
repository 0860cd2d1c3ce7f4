// The git side of the GitHub stand-in: commits with parents and touched paths, branches, and
// the merge rules GitHub applies (nothing to merge, fast-forward only without force, conflicts
// when both sides touched the same file since their merge base).
import { createHash } from 'node:crypto';

export interface Commit {
  sha: string;
  parents: string[];
  message: string;
  /** Paths this commit touched (merge commits: both sides). */
  paths: string[];
  at: number;
}

let counter = 0;
const newSha = (seed: string) => createHash('sha1').update(`${seed}:${++counter}:${Math.random()}`).digest('hex');

export class RepoState {
  readonly commits = new Map<string, Commit>();
  readonly branches = new Map<string, string>();
  /** Called whenever a branch moves (the fake CI listens). */
  onMove: (branch: string, sha: string) => void = () => undefined;

  constructor(readonly fullName: string) {}

  /** Adds a commit on `branch` (created from `from` when new) touching `paths`. */
  commit(branch: string, message: string, paths: string[] = [], from?: string): string {
    const parent = this.branches.get(branch) ?? (from ? this.resolve(from) : undefined);
    const sha = newSha(message);
    this.commits.set(sha, { sha, parents: parent ? [parent] : [], message, paths, at: Date.now() });
    this.move(branch, sha);
    return sha;
  }

  move(branch: string, sha: string): void {
    this.branches.set(branch, sha);
    this.onMove(branch, sha);
  }

  /** A branch name or a full sha; undefined when neither. */
  resolve(ref: string): string | undefined {
    const name = ref.replace(/^refs\//, '').replace(/^heads\//, '');
    if (this.branches.has(name)) return this.branches.get(name);
    if (this.commits.has(ref)) return ref;
    return [...this.commits.keys()].find((s) => ref.length >= 7 && s.startsWith(ref));
  }

  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const todo = [sha];
    while (todo.length) {
      const s = todo.pop()!;
      if (seen.has(s)) continue;
      seen.add(s);
      todo.push(...(this.commits.get(s)?.parents ?? []));
    }
    return seen;
  }

  isAncestor(maybe: string, of: string): boolean {
    return this.ancestors(of).has(maybe);
  }

  mergeBase(a: string, b: string): string | undefined {
    const ofB = this.ancestors(b);
    // Nearest common ancestor by commit time is enough for the stand-in's linear-ish histories.
    return [...this.ancestors(a)].filter((s) => ofB.has(s)).sort((x, y) => this.commits.get(y)!.at - this.commits.get(x)!.at)[0];
  }

  /** Paths touched on `tip`'s side since `base`. */
  pathsSince(base: string | undefined, tip: string): Set<string> {
    const stop = base ? this.ancestors(base) : new Set<string>();
    const out = new Set<string>();
    for (const s of this.ancestors(tip)) if (!stop.has(s)) for (const p of this.commits.get(s)!.paths) out.add(p);
    return out;
  }

  /** Commits reachable from `tip` and not from `base` (GitHub's compare `ahead_by`). */
  countSince(base: string, tip: string): number {
    const stop = this.ancestors(base);
    return [...this.ancestors(tip)].filter((s) => !stop.has(s)).length;
  }

  /** POST /merges semantics: 'nothing', 'conflict' (with the paths) or the new merge commit. */
  merge(base: string, headSha: string, message: string): { kind: 'nothing' } | { kind: 'conflict'; paths: string[] } | { kind: 'merged'; sha: string } {
    const baseSha = this.branches.get(base)!;
    if (this.isAncestor(headSha, baseSha)) return { kind: 'nothing' };
    const mb = this.mergeBase(baseSha, headSha);
    const ours = this.pathsSince(mb, baseSha);
    const both = [...this.pathsSince(mb, headSha)].filter((p) => ours.has(p)).sort();
    if (both.length) return { kind: 'conflict', paths: both };
    const sha = newSha(message);
    const paths = [...this.pathsSince(mb, headSha)];
    this.commits.set(sha, { sha, parents: [baseSha, headSha], message, paths, at: Date.now() });
    this.move(base, sha);
    return { kind: 'merged', sha };
  }
}
