// The real entry point: a bad configuration or a missing runbooks folder stops the process at
// boot with every problem said, instead of failing at the first /cutover.
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

function boot(env: Record<string, string>) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: res.status, out: `${res.stdout}${res.stderr}` };
}

it('lists every configuration problem at once and exits 1', () => {
  const { code, out } = boot({ PORT: 'abc', LOG_LEVEL: 'loud', SLACK_APP_TOKEN: 'xoxb-wrong' });
  expect(code).toBe(1);
  expect(out).toContain('SLACK_BOT_TOKEN');
  expect(out).toContain('PORT');
  expect(out).toContain('LOG_LEVEL');
  expect(out).toContain('SLACK_APP_TOKEN');
  expect(out).not.toContain('xoxb-wrong');
});

it('refuses to start without a readable RUNBOOKS_DIR', () => {
  const { code, out } = boot({
    SLACK_BOT_TOKEN: 'xoxb-x', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'http://127.0.0.1:9/api/', PORT: String(40000 + (process.pid % 10000)),
    REDIS_URL: process.env.REDIS_URL!, RUNBOOKS_DIR: '/nonexistent/runbooks', TZERO_KEY_PREFIX: `boot${process.pid}`,
  });
  expect(code).toBe(1);
  expect(out).toContain('cannot read RUNBOOKS_DIR /nonexistent/runbooks');
});
