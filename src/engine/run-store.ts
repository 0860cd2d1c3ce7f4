// The one port to Redis for run state. Writes are compare-and-set on `version` (a Lua script),
// so two bot processes and double clicks never lose or double an update.
import type { Redis } from 'ioredis';
import type { AuditEntry, Run } from './types.js';
import type { Keys } from './keys.js';
import { casUpdate } from '../lib/cas-json.js';
import { createRedactor, redactDeep, type Redact } from '../lib/redact.js';
import { redisScript } from '../lib/redis-script.js';
import { plannedEvents, transitionEvents } from './audit-events.js';
import type { RehearsalRecord } from './drift.js';
import { runSecrets, type SecretSource } from './scope.js';

// KEYS run, active set, recent zset, channel pointer; ARGV id, json, startedAt, dry ('1'/'0').
// One round trip, and the indexes are written only when the run record was created. A dry run
// does not take the channel pointer from an active run, so `/rollback` without a run id still
// means the live run.
const CREATE = redisScript(`
if not redis.call('SET', KEYS[1], ARGV[2], 'NX') then return 0 end
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
local current = redis.call('GET', KEYS[4])
if ARGV[4] ~= '1' or not current or redis.call('SISMEMBER', KEYS[2], current) == 0 then redis.call('SET', KEYS[4], ARGV[1]) end
return 1`);
const RELEASE_LOCK = redisScript(`local v = redis.call('GET', KEYS[1]) if v and cjson.decode(v)['runId'] == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`);

const NUMERIC = ['at', 'attempt', 'ms', 'count'] as const;
const OUTPUT_CAP = 1_000_000; // bytes of full output kept per step

export class ConflictError extends Error {}

export class RunStore {
  /**
   * @param secrets where the run's declared secrets are read. Every write redacts them first:
   * this is the one choke point through which step results, outputs, checkpoints, errors,
   * evidence and audit notes reach Redis, so no secret value is ever at rest there.
   */
  constructor(
    private readonly redis: Redis,
    private readonly k: Keys,
    private readonly secrets?: SecretSource,
    private readonly now: () => number = () => Date.now(),
    /** Audit entries of a committed write that could not be appended (logged by the app). */
    private readonly onAuditLost?: (runId: string, err: unknown) => void,
  ) {}

  private redactorFor(run: Run): Redact | undefined {
    if (!this.secrets || !run.runbook.secrets.length) return undefined;
    return createRedactor(runSecrets(run, this.secrets).values());
  }

  /** Redacts everything a run gathers while it runs (the runbook snapshot holds no values). */
  private seal(run: Run): void {
    const redact = this.redactorFor(run);
    if (!redact) return;
    run.steps = redactDeep(run.steps, redact);
    if (run.rollback) run.rollback = redactDeep(run.rollback, redact);
    if (run.watch) run.watch = redactDeep(run.watch, redact);
    if (run.abort) run.abort = redactDeep(run.abort, redact);
  }

  async get(id: string): Promise<Run | null> {
    const raw = await this.redis.get(this.k.run(id));
    return raw ? (JSON.parse(raw) as Run) : null;
  }

  /** Creates the run; false when the id is taken. */
  async create(run: Run): Promise<boolean> {
    const k = this.k;
    this.seal(run);
    const created = await CREATE.run(this.redis, [k.run(run.id), k.activeRuns, k.recentRuns, k.channelRun(run.channel)], [run.id, JSON.stringify(run), run.startedAt, run.dryRun ? '1' : '0']);
    if (created === 1) for (const entry of plannedEvents(run)) await this.appendAudit(run.id, entry);
    return created === 1;
  }

  /**
   * Applies `mutate` atomically. `mutate` may throw to refuse (nothing is written) or return
   * false to write nothing. Retries on concurrent writes. Returns the stored run.
   */
  async update(id: string, mutate: (run: Run) => void | false): Promise<Run> {
    // The record as read before the write that succeeds (the last call of `mutate`): every
    // status change between it and the written record is appended to the audit stream.
    let before: Run | undefined;
    const run = await casUpdate<Run>(this.redis, this.k.run(id), (r) => {
      before = structuredClone(r);
      if (mutate(r) === false) return false;
      this.seal(r);
    });
    if (!run) throw new ConflictError(`run ${id} not found`);
    // Not atomic with the write: a crash between the two loses these entries, never the state.
    // The write is committed, so a failed append (Redis failing over) must not fail the update:
    // the caller would retry or report a change that did happen as not done.
    if (before && before.version !== run.version) {
      try {
        for (const entry of transitionEvents(before, run, this.now())) await this.appendAudit(id, entry);
      } catch (err) {
        this.onAuditLost?.(id, err);
      }
    }
    return run;
  }

  async appendAudit(runId: string, entry: AuditEntry): Promise<void> {
    // A reason typed by a human may quote a secret; the stream keeps it masked like the run.
    const run = this.secrets ? await this.get(runId) : null;
    const redact = (run && this.redactorFor(run)) ?? ((t: string) => t);
    const fields = Object.entries(entry).flatMap(([k, v]) => (v === undefined ? [] : [k, redact(typeof v === 'object' ? JSON.stringify(v) : String(v))]));
    await this.redis.xadd(this.k.audit(runId), '*', ...fields);
  }

  /** A refused start: there is no run yet, so it goes on the runbook's own trail (capped). */
  async appendRunbookAudit(runbook: string, entry: AuditEntry): Promise<void> {
    const fields = Object.entries(entry).flatMap(([k, v]) => (v === undefined ? [] : [k, String(v)]));
    await this.redis.xadd(this.k.runbookAudit(runbook), 'MAXLEN', '~', '10000', '*', ...fields);
  }

  async runbookAudit(runbook: string): Promise<AuditEntry[]> {
    return this.entries(this.k.runbookAudit(runbook));
  }

  async audit(runId: string): Promise<AuditEntry[]> {
    return this.entries(this.k.audit(runId));
  }

  private async entries(key: string): Promise<AuditEntry[]> {
    const rows = await this.redis.xrange(key, '-', '+');
    return rows.map(([, fields]) => {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < fields.length; i += 2) o[fields[i]!] = fields[i + 1]!;
      for (const n of NUMERIC) if (o[n] !== undefined) o[n] = Number(o[n]);
      if (typeof o.evidence === 'string') o.evidence = JSON.parse(o.evidence);
      return o as unknown as AuditEntry;
    });
  }

  /** The last successful rehearsal of a runbook (drift since the rehearsal). */
  async recordRehearsal(name: string, record: RehearsalRecord): Promise<void> {
    await this.redis.set(this.k.rehearsal(name), JSON.stringify(record));
  }

  async lastRehearsal(name: string): Promise<RehearsalRecord | null> {
    const raw = await this.redis.get(this.k.rehearsal(name));
    return raw ? (JSON.parse(raw) as RehearsalRecord) : null;
  }

  async appendOutput(runId: string, stepId: string, text: string): Promise<void> {
    const key = this.k.output(runId, stepId);
    const len = await this.redis.strlen(key);
    if (len < OUTPUT_CAP) await this.redis.append(key, text.slice(0, OUTPUT_CAP - len));
  }

  output(runId: string, stepId: string): Promise<string | null> {
    return this.redis.get(this.k.output(runId, stepId));
  }

  async finish(run: Run): Promise<void> {
    await this.redis.srem(this.k.activeRuns, run.id);
    await this.releaseLock(run.lock, run.id);
  }

  /** A finished run being rolled back is active again (recovered after a restart). */
  async reactivate(id: string): Promise<void> {
    await this.redis.sadd(this.k.activeRuns, id);
  }

  activeRunIds(): Promise<string[]> {
    return this.redis.smembers(this.k.activeRuns);
  }

  async recent(limit: number): Promise<Run[]> {
    const ids = await this.redis.zrevrange(this.k.recentRuns, 0, limit - 1);
    const runs = await Promise.all(ids.map((id) => this.get(id)));
    return runs.filter((r): r is Run => r !== null);
  }

  channelRunId(channel: string): Promise<string | null> {
    return this.redis.get(this.k.channelRun(channel));
  }

  /** Makes `runId` the channel's current run (a plan that began, or back to a live run a plan hid). */
  async pointChannel(channel: string, runId: string): Promise<void> {
    await this.redis.set(this.k.channelRun(channel), runId);
  }

  // --- locks: one active run per lock name -------------------------------------------------
  async takeLock(name: string, holder: LockHolder): Promise<LockHolder | null> {
    const ok = await this.redis.set(this.k.lock(name), JSON.stringify(holder), 'NX');
    if (ok) return null;
    const raw = await this.redis.get(this.k.lock(name));
    return raw ? (JSON.parse(raw) as LockHolder) : null;
  }

  /** Releases the lock only if `runId` holds it (a stale release must not free a newer run's lock). */
  async releaseLock(name: string, runId: string): Promise<void> {
    await RELEASE_LOCK.run(this.redis, [this.k.lock(name)], [runId]);
  }
}

export interface LockHolder {
  runId: string;
  user: string;
  at: number;
}
