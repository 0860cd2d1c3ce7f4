import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidMonitorsError, loadMonitors, parseMonitors } from '../../src/monitors/load.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tzero-monitors-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// The example, extended with every source kind. Line numbers matter below.
const EXAMPLE = `alerts_channel: C0ALERTS
health:
  - id: site
    url: https://restarters.net/robots.txt
    every: 15s
    timeout: 5s
    expect: { status: 200 }
    down_after: 3
queues:
  - id: laravel-jobs
    source: { sql: { url_env: QUEUE_DB_URL, query: "select count(*) from jobs" } }
    above: 100
    for: 2m
  - id: failed-jobs
    source: { sql: { url_env: QUEUE_DB_URL, query: "select count(*) from failed_jobs" } }
    rises_by: 1
    cron: "*/1 * * * *"
  - id: laravel-redis
    source: { redis: { key: "queues:default", url_env: LARAVEL_REDIS_URL } }
    above: 500
  - id: api-backlog
    source: { http: { url: "https://stats.example.org/stats", path: queue.depth } }
    above: 50
`;

function problems(text: string, env?: (n: string) => string | undefined): string[] {
  try {
    parseMonitors(text, 'monitors.yml', { env });
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidMonitorsError);
    return (err as InvalidMonitorsError).problems;
  }
  throw new Error('expected the file to be invalid');
}

describe('loadMonitors', () => {
  it('reads the example with defaults filled in', async () => {
    const file = path.join(dir, 'monitors.yml');
    await writeFile(file, EXAMPLE);
    const m = await loadMonitors(file);
    expect(m.alertsChannel).toBe('C0ALERTS');
    expect(m.health).toEqual([
      { id: 'site', url: 'https://restarters.net/robots.txt', every: 15_000, timeout: 5000, expect: { status: 200, headers: {}, json: {} }, down_after: 3, up_after: 2 },
    ]);
    expect(m.queues.map((q) => [q.id, q.every, q.cron, q.above, q.for, q.rises_by])).toEqual([
      ['laravel-jobs', 15_000, undefined, 100, 120_000, undefined],
      ['failed-jobs', undefined, '*/1 * * * *', undefined, 0, 1],
      ['laravel-redis', 15_000, undefined, 500, 0, undefined],
      ['api-backlog', 15_000, undefined, 50, 0, undefined],
    ]);
    expect(m.queues[3]!.source.http).toEqual({ url: 'https://stats.example.org/stats', path: 'queue.depth', timeout: 5000 });
  });

  it('treats a missing file as no monitors and an empty one as none', async () => {
    expect(await loadMonitors(path.join(dir, 'absent.yml'))).toEqual({ health: [], queues: [] });
    expect(parseMonitors('', 'monitors.yml')).toMatchObject({ health: [], queues: [] });
  });

  it('names file:line:col and the field for each problem', () => {
    const text = EXAMPLE.replace('every: 15s', 'every: 15 seconds')
      .replace('"*/1 * * * *"', '"*/1 * * *  nope"')
      .replace('select count(*) from jobs', 'delete from jobs')
      .replace('    above: 500\n', '    above: 500\n    dwon_after: 2\n');
    expect(problems(text)).toEqual([
      'monitors.yml:5:12 health[0].every: not a duration (use e.g. 500ms, 15s, 2m)',
      'monitors.yml:11:52 queues[0].source.sql.query: must be a read-only query starting with select or with',
      'monitors.yml:17:11 queues[1].cron: not a valid cron expression (e.g. "*/1 * * * *")',
      'monitors.yml:21:5 queues[2].dwon_after: unknown field "dwon_after"',
    ]);
  });

  it('rejects a second statement, a URL in place of url_env, both thresholds, both schedules and duplicate ids', () => {
    const text = `queues:
  - id: q
    source: { sql: { url_env: "postgres://u:pw@db/x", query: "select 1; drop table jobs" } }
    above: 1
    rises_by: 1
    every: 1s
    cron: "* * * * *"
  - id: q
    source: { bullmq: { queue: tzero-steps }, redis: { key: k } }
    above: 1
`;
    const found = problems(text);
    expect(found).toContain('monitors.yml:3:31 queues[0].source.sql.url_env: the name of an environment variable (e.g. QUEUE_DB_URL)');
    expect(found).toContain('monitors.yml:3:62 queues[0].source.sql.query: one statement only');
    expect(found.some((p) => p.startsWith('monitors.yml:4:12 queues[0].above: give exactly one of above'))).toBe(true);
    expect(found.some((p) => p.startsWith('monitors.yml:7:11 queues[0].cron: give either every'))).toBe(true);
    expect(found).toContain('monitors.yml:8:9 queues[1].id: duplicate queues id "q"');
    expect(found).toContain('monitors.yml:9:13 queues[1].source: give exactly one of sql, bullmq, redis, http');
    // Never the value itself: it might be a URL with a password.
    expect(found.join('\n')).not.toContain('pw@');
  });

  it('with env given, reports url_env names that are not set', () => {
    const env = (name: string) => (name === 'QUEUE_DB_URL' ? 'postgres://db/x' : undefined);
    expect(problems(EXAMPLE, env)).toEqual(['monitors.yml:19:56 queues[2].source.redis.url_env: environment variable LARAVEL_REDIS_URL is not set']);
  });

  it('reports YAML syntax errors with their position', () => {
    expect(problems('health:\n  - id: a\n   url: x\n')).toEqual([expect.stringMatching(/^monitors\.yml:3:\d+ \(yaml\): /)]);
  });
});
