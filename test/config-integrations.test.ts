// loadConfig for the integrations of issue 9: ALERTMANAGER_TOKEN, METRICS_TOKEN, Redis Sentinel.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { Runbook } from '../src/runbooks/schema.js';

const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };
const problems = (env: Record<string, string>) => {
  try {
    loadConfig({ ...base, ...env });
    return [];
  } catch (err) {
    return (err as ConfigError).problems;
  }
};

describe('integration settings', () => {
  it('reads tokens as secrets and Sentinel as host:port pairs', () => {
    const c = loadConfig({ ...base, ALERTMANAGER_TOKEN: 'a'.repeat(32), METRICS_TOKEN: 'm'.repeat(20), REDIS_SENTINELS: 's1:26379, [::1]:26380,10.0.0.3:26381', REDIS_SENTINEL_NAME: 'tzero' });
    expect(c.alertmanagerToken?.reveal()).toBe('a'.repeat(32));
    expect(String(c.alertmanagerToken)).toBe('[redacted]');
    expect(c.metricsToken?.reveal()).toBe('m'.repeat(20));
    expect(c.redisSentinel).toEqual({ name: 'tzero', sentinels: [{ host: 's1', port: 26379 }, { host: '::1', port: 26380 }, { host: '10.0.0.3', port: 26381 }] });
    expect(c.secretEnv('ALERTMANAGER_TOKEN')).toBeUndefined();
    expect(loadConfig(base).redisSentinel).toBeUndefined();
  });

  it('refuses a bad Sentinel list, one Sentinel setting without the other, and short tokens', () => {
    expect(problems({ REDIS_SENTINELS: 's1', REDIS_SENTINEL_NAME: 'x' })).toEqual(['REDIS_SENTINELS: "s1" is not host:port']);
    expect(problems({ REDIS_SENTINELS: 's1:99999', REDIS_SENTINEL_NAME: 'x' })).toEqual(['REDIS_SENTINELS: "s1:99999" is not host:port']);
    expect(problems({ REDIS_SENTINELS: 's1:26379' })).toEqual(['REDIS_SENTINEL_NAME: required with REDIS_SENTINELS']);
    expect(problems({ REDIS_SENTINEL_NAME: 'tzero' })).toEqual(['REDIS_SENTINELS: required with REDIS_SENTINEL_NAME']);
    expect(problems({ ALERTMANAGER_TOKEN: 'short' })).toEqual(['ALERTMANAGER_TOKEN: at least 16 characters']);
  });

  it('watch.rollback_if.alert: source alertmanager only, alertname required, labels are strings', () => {
    const book = (alert: unknown) => Runbook.safeParse({ name: 'x', channel: 'C1', steps: [{ id: 'a', uses: 'notify', with: { text: 'hi' } }], watch: { for: '1h', rollback_if: [{ alert }] } });
    expect(book({ source: 'alertmanager', alertname: 'HighErrorRate', labels: { env: 'production' } }).success).toBe(true);
    expect(book({ source: 'alertmanager', alertname: 'HighErrorRate' }).success).toBe(true);
    expect(book({ source: 'prometheus', alertname: 'HighErrorRate' }).success).toBe(false);
    expect(book({ source: 'alertmanager' }).success).toBe(false);
    expect(book({ source: 'alertmanager', alertname: 'X', labels: { env: 1 } }).success).toBe(false);
    expect(book({ source: 'alertmanager', alertname: 'X', severity: 'critical' }).success).toBe(false);
  });
});
