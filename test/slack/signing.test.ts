import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeEngine } from '../support/fake-engine.js';
import { makeRun } from '../support/run-fixture.js';
import { sign, startHarness, type Harness } from '../support/slack-harness.js';
import { commandBody } from '../support/slack-payloads.js';

let engine: FakeEngine;
let h: Harness;

beforeEach(async () => {
  engine = new FakeEngine(makeRun());
  h = await startHarness(engine);
});
afterEach(() => h.close());

describe('request signing', () => {
  const body = () => commandBody('/cutover', 'start db-cutover', h.responseUrl);
  const now = () => Math.floor(Date.now() / 1000);

  it('a forged signature gets 401 and reaches no listener', async () => {
    const sent = await h.send(body(), { signature: sign(body(), now(), 'wrong-secret') });
    expect(sent.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(engine.calls).toEqual([]);
    expect(h.responses).toEqual([]);
  });

  it('a timestamp older than 300 s gets 401, even when correctly signed', async () => {
    const ts = now() - 301;
    const sent = await h.send(body(), { ts, signature: sign(body(), ts) });
    expect(sent.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(engine.calls).toEqual([]);
  });

  it('a timestamp more than 300 s in the future gets 401, even when correctly signed', async () => {
    const ts = now() + 301;
    const sent = await h.send(body(), { ts, signature: sign(body(), ts) });
    expect(sent.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(engine.calls).toEqual([]);
    expect(h.responses).toEqual([]);
  });

  it('the same request, correctly signed now, is accepted', async () => {
    expect((await h.send(body())).status).toBe(200);
  });
});
