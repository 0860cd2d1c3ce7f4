// Input fields and helpers shared by the github.* steps.
import { z } from 'zod';
import { StepFailure } from '../errors.js';
import { messageOf, statusOf } from './request-util.js';

export const Repo = z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'owner/name, e.g. therestartproject/restarters').describe('owner/name');
/** `${{ secrets.X }}`: a token for this step instead of tzero's own GitHub credential. */
export const Token = z.string().min(1).optional().describe("a token for this step (use ${{ secrets.X }}); default: tzero's GitHub credential");
export const Branch = z.string().min(1).regex(/^[^\s~^:?*[\\]+$/, 'a branch name');

export const short = (sha: string | undefined) => (sha ? sha.slice(0, 7) : '?');

/** A GitHub error as a step failure that says what GitHub answered. */
export function githubFailure(what: string, err: unknown): StepFailure {
  const status = statusOf(err);
  if (status === undefined) return new StepFailure(`${what}: ${(err as Error)?.message ?? String(err)}`);
  return new StepFailure(`${what}: GitHub answered ${status} ${messageOf(err)}`, [`HTTP ${status}: ${messageOf(err)}`]);
}

/** Runs a GitHub call, turning its errors into a StepFailure naming `what`; aborts pass through. */
export async function call<T>(what: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (signal?.aborted) throw err;
    if (err instanceof StepFailure) throw err;
    throw githubFailure(what, err);
  }
}

/** A requirement written `/regex/flags` is a pattern; anything else an exact name. */
export function matcher(requirement: string): (name: string) => boolean {
  const m = /^\/(.+)\/([a-z]*)$/.exec(requirement);
  if (!m) return (name) => name === requirement;
  const re = new RegExp(m[1]!, m[2]);
  return (name) => re.test(name);
}
