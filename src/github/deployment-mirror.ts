// GitHub Deployments mirror each live run whose runbook has a `github:` block: a deployment when
// the run starts, then a status per phase (in_progress, success when the rollback window closes
// clean, failure, inactive after a rollback), each with `log_url` = the run card's permalink.
// It listens at the edge (it wraps RunMessages, which the engine calls after every change) and
// never writes run state. Work is durable: a pending set in Redis, a per-run lock, and what was
// posted (deployment id, last phase; never a token) in a hash, so a restart or another replica
// carries on without double posts.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Keys } from '../engine/keys.js';
import type { RunMessages } from '../engine/messages.js';
import type { Run } from '../engine/types.js';
import { md } from '../lib/mrkdwn.js';
import { NO_RETRY, splitRepo } from './request-util.js';
import type { GitHubClients } from './clients.js';
import { deploymentPhase } from './deployment-phase.js';

export interface MirrorDeps {
  redis: Redis;
  k: Keys;
  store: { get(id: string): Promise<Run | null> };
  github: GitHubClients;
  log: Logger;
  /** chat.getPermalink of a message. */
  permalink(channel: string, ts: string): Promise<string>;
  /** Posts once in the run's thread (when GitHub is not configured). */
  notify: RunMessages['notify'];
}

/** How long a status waits for the card's permalink before going out without one. */
const CARD_WAIT_MS = 30_000;

export class DeploymentMirror {
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private again = false;
  /** Runs without a `github:` block: no Redis work for them after the first look. */
  private readonly unmirrored = new Set<string>();
  private readonly notBefore = new Map<string, { at: number; failures: number }>();

  constructor(private readonly d: MirrorDeps) {}

  /** RunMessages that also tell the mirror a run changed. */
  wrap(inner: RunMessages): RunMessages {
    const then = (runId: string) => this.touch(runId);
    return {
      card: async (runId, channel) => (await inner.card(runId, channel), then(runId)),
      step: (runId, channel, stepId) => inner.step(runId, channel, stepId),
      rollback: async (runId, channel) => (await inner.rollback(runId, channel), then(runId)),
      notify: (runId, key, text, target) => inner.notify(runId, key, text, target),
      proposal: (runId, channel, proposalId) => inner.proposal(runId, channel, proposalId),
      changed: async (runId) => (await inner.changed(runId), then(runId)),
    };
  }

  touch(runId: string): void {
    if (this.unmirrored.has(runId)) return;
    void this.d.redis.sadd(this.d.k.githubDeployPending, runId).then(() => this.kick(), (err: unknown) => this.d.log.warn({ err, runId }, 'github deployment mirror: cannot queue'));
  }

  start(): void {
    this.timer ??= setInterval(() => this.kick(), 1000);
    this.kick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.draining;
  }

  private kick(): void {
    if (this.draining) return void (this.again = true);
    this.draining = (async () => {
      do {
        this.again = false;
        for (const id of await this.d.redis.smembers(this.d.k.githubDeployPending).catch(() => [])) await this.process(id);
      } while (this.again);
    })().finally(() => (this.draining = undefined));
  }

  private async process(runId: string): Promise<void> {
    const { redis, k, log } = this.d;
    const wait = this.notBefore.get(runId);
    if (wait && Date.now() < wait.at) return;
    if (!(await redis.set(k.githubDeployLock(runId), '1', 'PX', 60_000, 'NX'))) return;
    try {
      await redis.srem(k.githubDeployPending, runId); // a change during the sync adds it back
      const done = await this.sync(runId);
      if (!done) await redis.sadd(k.githubDeployPending, runId);
      this.notBefore.delete(runId);
    } catch (err) {
      const failures = (wait?.failures ?? 0) + 1;
      this.notBefore.set(runId, { at: Date.now() + Math.min(60_000, 1000 * 2 ** failures), failures });
      log.warn({ err, runId, failures }, 'github deployment mirror: GitHub call failed; will retry');
      await redis.sadd(k.githubDeployPending, runId);
    } finally {
      await redis.del(k.githubDeployLock(runId));
    }
  }

  /** Brings GitHub up to the run's phase; false = try again later (the card has no ts yet). */
  private async sync(runId: string): Promise<boolean> {
    const { redis, k } = this.d;
    const run = await this.d.store.get(runId);
    const target = run && deploymentPhase(run);
    if (!run || !target || !run.runbook.github) {
      if (this.unmirrored.size > 10_000) this.unmirrored.clear(); // a cache, not a record: bounded
      this.unmirrored.add(runId);
      return true;
    }
    const key = k.githubDeploy(runId);
    const seen = await redis.hgetall(key);
    if (seen.phase === target.phase) return true;
    if (!this.d.github.configured) {
      await this.d.notify(runId, 'github-deployments-off', md`GitHub deployments are not mirrored for this run: tzero has no GitHub credential (GITHUB_TOKEN or the GitHub App).`, { channel: run.channel, inThread: true });
      await redis.hset(key, 'phase', target.phase);
      return true;
    }
    const logUrl = seen.log_url || (await this.cardLink(runId));
    if (!logUrl && Date.now() - run.startedAt < CARD_WAIT_MS) return false;
    const gh = this.d.github.get();
    const { repo, environment, ref } = run.runbook.github;
    const deploymentId = Number(seen.deployment_id) || (await this.deployment(run, repo, environment, ref));
    await redis.hset(key, { deployment_id: String(deploymentId), ...(logUrl ? { log_url: logUrl } : {}) });
    await gh.rest.repos.createDeploymentStatus({
      ...splitRepo(repo), deployment_id: deploymentId, state: target.state, description: target.description, environment,
      ...(logUrl ? { log_url: logUrl } : {}), auto_inactive: false, ...NO_RETRY,
    });
    await redis.hset(key, 'phase', target.phase);
    this.d.log.info({ runId, deploymentId, state: target.state, phase: target.phase }, 'github deployment status posted');
    return true;
  }

  /** The run's deployment: found by its payload after a crash between create and record, else created. */
  private async deployment(run: Run, repo: string, environment: string, ref: string): Promise<number> {
    const gh = this.d.github.get();
    const r = splitRepo(repo);
    const existing = await gh.rest.repos.listDeployments({ ...r, environment, ref, per_page: 30 });
    const mine = existing.data.find((d) => (d.payload as { tzero_run?: string } | null)?.tzero_run === run.id);
    if (mine) return mine.id;
    const created = await gh.rest.repos.createDeployment({
      ...r, ref, environment, auto_merge: false, required_contexts: [], task: 'deploy',
      payload: { tzero_run: run.id, runbook: run.runbook.name }, description: (run.runbook.title ?? run.runbook.name).slice(0, 140),
      production_environment: environment === 'production', ...NO_RETRY,
    });
    if (!('id' in created.data)) throw new Error(`GitHub did not create the deployment: ${created.data.message ?? created.status}`);
    return created.data.id;
  }

  private async cardLink(runId: string): Promise<string | undefined> {
    const [channel, ts] = await this.d.redis.hmget(this.d.k.outboxMsg(`${runId}.card`), 'channel', 'ts');
    if (!channel || !ts) return undefined;
    return this.d.permalink(channel, ts);
  }
}
