// Small helpers for Octokit calls, kept apart from client.ts so that loading the step registry
// (tzero lint, the JSON schema) does not load Octokit itself.

/** Per-call option for writes that must happen at most once. */
export const NO_RETRY = { request: { retries: 0 } } as const;

/** Splits `owner/name`. */
export function splitRepo(repo: string): { owner: string; repo: string } {
  const [owner, name] = repo.split('/');
  return { owner: owner!, repo: name! };
}

/** The status of a failed Octokit request, or undefined for anything else. */
export function statusOf(err: unknown): number | undefined {
  const s = (err as { status?: unknown })?.status;
  return typeof s === 'number' ? s : undefined;
}

/** GitHub's error message (`{ message }` body) of a failed request. */
export function messageOf(err: unknown): string {
  const data = (err as { response?: { data?: { message?: unknown } } })?.response?.data;
  return typeof data?.message === 'string' ? data.message : (err as Error)?.message ?? String(err);
}
