// The run store is the choke point to Redis: whatever a step or a human puts in a run record or
// its audit stream, no secret value is written.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/engine/keys.js';
import { RunStore } from '../../src/engine/run-store.js';
import { MASK } from '../../src/lib/redact.js';
import { makeRun, makeStep } from '../support/run-fixture.js';
import { scanRedis } from '../support/redis-scan.js';

const redis = new Redis(process.env.REDIS_URL!);
afterAll(() => redis.disconnect());

const CANARY = 'Canary 7c1e"pa/ss';

describe('RunStore redaction at rest', () => {
  it('writes no secret value in results, outputs, checkpoints, errors, evidence, notes or the audit stream', async () => {
    const prefix = `t${randomUUID().slice(0, 8)}`;
    const store = new RunStore(redis, keys(prefix), (name) => (name === 'API_TOKEN' ? CANARY : undefined));
    const run = makeRun({ steps: [makeStep('call'), makeStep('next')] });
    run.runbook.secrets = ['API_TOKEN'];
    run.steps[0]!.summary = `created with ${CANARY}`; // even at creation
    expect(await store.create(run)).toBe(true);

    await store.update(run.id, (r) => {
      const s = r.steps[0]!;
      s.outputs = { token: CANARY, nested: { list: [`Bearer ${CANARY}`] } };
      s.checkpoints = {
        response: { url: new URL(`https://api.example/x?token=${CANARY}`).href, body: JSON.stringify({ echo: CANARY }), status: 200 },
      };
      s.error = `getaddrinfo ENOTFOUND ${CANARY.toLowerCase()}.example`;
      s.evidence = [`POST https://api.example/?t=${encodeURIComponent(CANARY)} → 500`];
      s.outputTail = `token=${CANARY}`;
      s.note = `retry after: ${CANARY}`;
      r.rollback = { requestedBy: 'U0LEAD', at: 1, reason: `leaked ${CANARY}`, order: [], cursor: 0 };
    });
    await store.appendAudit(run.id, { kind: 'skip', user: 'U0LEAD', at: 2, step: 'call', hash: run.hash, note: `reason quotes ${CANARY}` });

    const { keys: scanned, hits } = await scanRedis(redis, `${prefix}:*`, [CANARY, 'canary 7c1e', '7c1e%22pa', '7c1e\\"pa']);
    expect(scanned).toBeGreaterThanOrEqual(2);
    expect(hits).toEqual([]);

    // What is stored still reads: the secret is masked, everything else is kept.
    const stored = (await store.get(run.id))!;
    expect(stored.steps[0]!.outputs).toEqual({ token: MASK, nested: { list: [`Bearer ${MASK}`] } });
    expect((stored.steps[0]!.checkpoints.response as { status: number }).status).toBe(200);
    expect(stored.steps[0]!.error).toBe(`getaddrinfo ENOTFOUND ${MASK}.example`);
    expect((await store.audit(run.id)).find((a) => a.kind === 'skip')!.note).toBe(`reason quotes ${MASK}`);
  });
});
