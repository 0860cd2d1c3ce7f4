// Every Redis key tzero writes, in one place. `prefix` lets replicas share a Redis (same prefix)
// and tests isolate themselves (a fresh prefix each).
export function keys(prefix: string) {
  const p = prefix;
  return {
    run: (id: string) => `${p}:run:${id}`,
    audit: (id: string) => `${p}:run:${id}:audit`,
    /** Refusals that have no run to be audited in (a refused start), per runbook. */
    runbookAudit: (name: string) => `${p}:runbook:${name}:audit`,
    output: (id: string, stepId: string) => `${p}:run:${id}:output:${stepId}`,
    lock: (name: string) => `${p}:lock:${name}`,
    rehearsal: (runbook: string) => `${p}:rehearsal:${runbook}`,
    channelRun: (channel: string) => `${p}:channel:${channel}:run`,
    activeRuns: `${p}:runs:active`,
    recentRuns: `${p}:runs:recent`,
    abortChannel: `${p}:abort`,
    heartbeat: `${p}:heartbeat`,
    execution: (runId: string, stepId: string, attempt: number) => `${p}:run:${runId}:exec:${stepId}:${attempt}`,
    epoch: `${p}:epoch`,
    outboxMsg: (key: string) => `${p}:outbox:msg:${key}`,
    outboxChannel: (channel: string) => `${p}:outbox:channel:${channel}`,
    outboxDirty: `${p}:outbox:dirty`,
    outboxSeq: `${p}:outbox:seq`,
    outboxLock: (channel: string) => `${p}:outbox:lock:${channel}`,
    outboxLastPost: (channel: string) => `${p}:outbox:lastpost:${channel}`,
    outboxUpdates: `${p}:outbox:updates`,
    outboxPause: `${p}:outbox:pause`,
    githubDeploy: (runId: string) => `${p}:github:deploy:${runId}`,
    githubDeployPending: `${p}:github:deploy:pending`,
    githubDeployLock: (runId: string) => `${p}:github:deploy:lock:${runId}`,
  };
}
export type Keys = ReturnType<typeof keys>;
