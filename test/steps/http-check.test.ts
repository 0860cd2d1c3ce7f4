import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StepFailure } from '../../src/errors.js';
import { httpCheck } from '../../src/steps/http-check.js';
import { startSite, type Site } from '../../targets/site.js';
import { fakeContext, runStep } from '../support/step-context.js';

let oldSite: Site;
let newSite: Site;
let edge: Site;
beforeAll(async () => {
  oldSite = await startSite({ name: 'old-site' });
  newSite = await startSite({ name: 'new-site', hsts: true });
  edge = await startSite({ name: 'edge', redirectTo: 'https://restarters.net' });
});
afterAll(() => Promise.all([oldSite.close(), newSite.close(), edge.close()]));

async function failure(promise: Promise<unknown>): Promise<StepFailure> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(StepFailure);
  return err as StepFailure;
}

describe('http.check', () => {
  it('passes on 200 with the expected header, body and JSON; records status, headers, latency', async () => {
    const result = await runStep(httpCheck, {
      url: `${newSite.url}/api/health`,
      expect: { headers: { 'Strict-Transport-Security': 'max-age=\\d+' }, body: '"status"', json: { status: 'ok', 'checks.db': 'ok' } },
    });
    expect(result.outputs).toMatchObject({ status: 200, headers: { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }, attempts: 1 });
    expect(result.outputs?.latency_ms).toEqual(expect.any(Number));
    expect(result.summary).toMatch(/^HTTP 200 in \d+ms$/);
    expect(result.evidence?.[0]).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/api\/health → 200 in \d+ms$/);
  });

  it('fails on a wrong status (maintenance 503) with the status as evidence', async () => {
    oldSite.setMaintenance(true);
    try {
      const err = await failure(runStep(httpCheck, { url: `${oldSite.url}/` }));
      expect(err.message).toBe('expected status 200, got 503');
      expect(err.evidence[0]).toMatch(/→ 503 in/);
    } finally {
      oldSite.setMaintenance(false);
    }
  });

  it('fails when a header is missing or does not match its regex', async () => {
    const missing = await failure(runStep(httpCheck, { url: `${oldSite.url}/`, expect: { headers: { 'strict-transport-security': 'max-age' } } }));
    expect(missing.message).toBe('header strict-transport-security missing');
    const mismatch = await failure(runStep(httpCheck, { url: `${newSite.url}/`, expect: { headers: { 'x-served-by': '^old-site$' } } }));
    expect(mismatch.message).toBe('header x-served-by: "new-site" does not match /^old-site$/');
    expect(mismatch.evidence).toContain('x-served-by: new-site');
  });

  it('fails on a JSON path mismatch, a missing path, and a body regex mismatch', async () => {
    const wrong = await failure(runStep(httpCheck, { url: `${newSite.url}/api/health`, expect: { json: { site: 'old-site', 'checks.cache': 'ok' } } }));
    expect(wrong.evidence).toContain('json site: expected "old-site", got "new-site"');
    expect(wrong.evidence).toContain('json checks.cache: missing (nothing at $.checks.cache)');
    const body = await failure(runStep(httpCheck, { url: `${newSite.url}/`, expect: { body: 'Laravel' } }));
    expect(body.message).toMatch(/^body does not match \/Laravel\/ \(body starts: "<!doctype html>/);
  });

  it('checks a 301 without following it by default, and follows when asked', async () => {
    const redirect = await runStep(httpCheck, { url: `${edge.url}/robots.txt`, expect: { status: [301, 308], headers: { location: '^https://restarters\\.net/robots\\.txt$' } } });
    expect(redirect.outputs).toMatchObject({ status: 301, headers: { location: 'https://restarters.net/robots.txt' } });
    const plain = await failure(runStep(httpCheck, { url: `${edge.url}/` }));
    expect(plain.message).toBe('expected status 200, got 301 (location: https://restarters.net/)');
  });

  it('with `within`, keeps retrying until the target changes', async () => {
    oldSite.setMaintenance(true);
    const before = oldSite.counts()['GET /api/health'] ?? 0;
    setTimeout(() => oldSite.setMaintenance(false), 350);
    const result = await runStep(httpCheck, { url: `${oldSite.url}/api/health`, within: '5s', every: '100ms' });
    expect(result.outputs?.attempts).toBeGreaterThanOrEqual(3);
    expect(oldSite.counts()['GET /api/health']! - before).toBe(result.outputs?.attempts);
    expect(result.summary).toMatch(/after \d+ tries over/);
  });

  it('with `within`, gives up once the window has passed and reports the last failure', async () => {
    newSite.setFail(true);
    try {
      const started = Date.now();
      const err = await failure(runStep(httpCheck, { url: `${newSite.url}/api/health`, within: '600ms', every: '200ms' }));
      expect(Date.now() - started).toBeLessThan(2000);
      expect(err.message).toMatch(/^expected status 200, got 500 after [34] tries over/);
    } finally {
      newSite.setFail(false);
    }
  });

  it('stops polling at once when the signal aborts', async () => {
    oldSite.setMaintenance(true);
    try {
      const controller = new AbortController();
      const { ctx } = fakeContext(httpCheck, { url: `${oldSite.url}/`, within: '1m', every: '10s' }, { signal: controller.signal });
      const started = Date.now();
      const running = httpCheck.execute(ctx);
      setTimeout(() => controller.abort(new Error('step timeout')), 100);
      await expect(running).rejects.toThrow('step timeout');
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      oldSite.setMaintenance(false);
    }
  });

  it('fails on a request timeout and on a refused connection', async () => {
    const slow = await failure(runStep(httpCheck, { url: `${newSite.url}/slow?ms=2000`, timeout: '200ms' }));
    expect(slow.message).toBe('no response within 200ms');
    const closed = await startSite({ name: 'closed' });
    await closed.close();
    const refused = await failure(runStep(httpCheck, { url: closed.url }));
    expect(refused.message).toMatch(/ECONNREFUSED/);
  });

  it('rejects typos and bad regexes in its input', () => {
    expect(() => httpCheck.input.parse({ url: 'https://restarters.net/', expect: { stauts: 200 } })).toThrow();
    expect(() => httpCheck.input.parse({ url: 'https://restarters.net/', expect: { body: '(' } })).toThrow(/regular expression/);
    expect(() => httpCheck.input.parse({ url: 'ftp://restarters.net/' })).toThrow();
    expect(() => httpCheck.input.parse({ url: 'https://restarters.net/', within: 'soon' })).toThrow(/duration/);
  });
});
