import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runHealthMonitor, type HealthDeps } from '../../src/monitors/health.js';
import { monitorKeys } from '../../src/monitors/state.js';
import { startSite, type Site } from '../../targets/site.js';
import { closeAll, connect, freshPrefix, health, MemoryInbox } from './helpers.js';

let site: Site;
let inbox: MemoryInbox;
let deps: HealthDeps;
beforeEach(async () => {
  site = await startSite({ name: 'new-site' });
  inbox = new MemoryInbox();
  deps = { redis: connect(), keyPrefix: freshPrefix('health'), inbox };
});
afterEach(() => site.close());
afterAll(closeAll);

const monitorFor = (s: Site, extra: Record<string, unknown> = {}) =>
  health({ id: 'site', url: `${s.url}/robots.txt`, every: '1s', timeout: '1s', down_after: 3, up_after: 2, ...extra });

describe('health monitor', () => {
  it('posts one down after down_after failures (site stopped) and one recovery after up_after successes (site started again)', async () => {
    const monitor = monitorFor(site);
    const probe = () => runHealthMonitor(deps, monitor);
    expect((await probe()).ok).toBe(true); // a good response is remembered for the down alert
    const port = site.port;
    await site.close();

    // The first probe may meet the closed keep-alive socket rather than the closed port.
    expect((await probe()).error).toMatch(/ECONNREFUSED|UND_ERR_SOCKET/);
    await probe();
    expect(inbox.events).toEqual([]); // two failures < down_after
    await probe();
    expect(inbox.kinds()).toEqual(['health:site firing']);
    for (let i = 0; i < 4; i++) await probe();
    expect(inbox.events).toHaveLength(1); // while down, no alert per probe

    site = await startSite({ name: 'new-site', port });
    await probe();
    expect(inbox.events).toHaveLength(1); // one success < up_after
    await probe();
    expect(inbox.kinds()).toEqual(['health:site firing', 'health:site resolved']);
    for (let i = 0; i < 3; i++) await probe();
    expect(inbox.events).toHaveLength(2);

    const [down, up] = inbox.events;
    expect(down).toMatchObject({ source: 'health', fingerprint: 'health:site', group: 'health:site', monitor: 'site', severity: 'critical', title: 'site is down' });
    expect(down!.details).toEqual([
      expect.stringMatching(/^first failure \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      expect.stringMatching(/^error ECONNREFUSED/),
      '3 failed checks in a row',
      expect.stringMatching(/^last good response 200 at \d{4}-/),
    ]);
    expect(up).toMatchObject({ status: 'resolved', downSince: down!.downSince, title: expect.stringMatching(/^site recovered after \d+ms$/) });
    expect(up!.at - up!.downSince!).toBeGreaterThan(0);
    expect(down!.downSince).toBeLessThan(down!.at);
  });

  it('damps flapping: failures interrupted by a success never reach down_after', async () => {
    const probe = () => runHealthMonitor(deps, monitorFor(site));
    for (let i = 0; i < 5; i++) {
      site.setFail(true);
      await probe();
      await probe();
      site.setFail(false);
      await probe();
    }
    expect(inbox.events).toEqual([]);
  });

  it('matches the expectation like http.check (status, body) and reports what failed', async () => {
    site.setMaintenance(true);
    const monitor = monitorFor(site, { down_after: 1, expect: { status: 200, body: 'User-agent' } });
    const result = await runHealthMonitor(deps, monitor);
    expect(result.error).toBe('expected status 200, got 503; body does not match /User-agent/ (body starts: "<h1>Be right back</h1><p>new-site is down for maintenance.</p>")');
    expect(inbox.events[0]!.details).toContain('no good response seen yet');
  });

  it('counts each probe once when replicas evaluate at the same time (one down event)', async () => {
    site.setFail(true);
    const other: HealthDeps = { ...deps, redis: connect() };
    const monitor = monitorFor(site);
    await Promise.all(Array.from({ length: 8 }, (_, i) => runHealthMonitor(i % 2 ? other : deps, monitor)));
    expect(inbox.kinds()).toEqual(['health:site firing']);
    expect(await deps.redis.hget(monitorKeys(deps.keyPrefix).health('site'), 'fails')).toBe('8');
  });

  it('keeps a transition whose delivery failed and delivers it on the next probe, once', async () => {
    site.setFail(true);
    const monitor = monitorFor(site, { down_after: 1 });
    inbox.failNext = 1;
    await expect(runHealthMonitor(deps, monitor)).rejects.toThrow('inbox unavailable');
    expect(inbox.events).toEqual([]);
    await runHealthMonitor(deps, monitor);
    expect(inbox.kinds()).toEqual(['health:site firing']);
    expect(await deps.redis.llen(`${monitorKeys(deps.keyPrefix).health('site')}:pending`)).toBe(0);
  });

  it('sends URL credentials as Basic auth and never shows them in the alert', async () => {
    site.setFail(true);
    const monitor = health({ id: 'site', url: `http://ops:hunter2@127.0.0.1:${site.port}/`, down_after: 1, timeout: '1s' });
    await runHealthMonitor(deps, monitor);
    expect(JSON.stringify(inbox.events)).not.toContain('hunter2');
    expect(inbox.events[0]!.url).toBe(`http://127.0.0.1:${site.port}/`);
    expect(inbox.events[0]!.details[1]).toBe('error expected status 200, got 500'); // the request went out
  });
});
