import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, runbooksDir, Secret } from '../src/config.js';

const HTTP = { SLACK_BOT_TOKEN: 'xoxb-1-abc', SLACK_SIGNING_SECRET: 'sign-me' };

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the defaults', () => {
    const config = loadConfig(HTTP);
    expect(config).toMatchObject({
      port: 3000,
      redisUrl: 'redis://127.0.0.1:6379',
      runbooksDir: './runbooks',
      logLevel: 'info',
      keyPrefix: 'tzero',
      slack: { apiUrl: 'https://slack.com/api/', mode: 'http' },
    });
    expect(config.slack.botToken.reveal()).toBe('xoxb-1-abc');
    expect(config.slack.signingSecret?.reveal()).toBe('sign-me');
    expect(config.slack.appToken).toBeUndefined();
  });

  it('reads every setting', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-2',
      SLACK_APP_TOKEN: 'xapp-1-xyz',
      SLACK_API_URL: 'http://127.0.0.1:4010/api',
      PORT: '8080',
      REDIS_URL: 'rediss://cache:6380/2',
      RUNBOOKS_DIR: '/etc/tzero/runbooks',
      LOG_LEVEL: 'debug',
      TZERO_KEY_PREFIX: 'test-42',
    });
    expect(config).toMatchObject({
      port: 8080,
      redisUrl: 'rediss://cache:6380/2',
      runbooksDir: '/etc/tzero/runbooks',
      logLevel: 'debug',
      keyPrefix: 'test-42',
      slack: { apiUrl: 'http://127.0.0.1:4010/api/', mode: 'socket' },
    });
    expect(config.slack.appToken?.reveal()).toBe('xapp-1-xyz');
    expect(config.slack.signingSecret).toBeUndefined();
  });

  it('reads SHUTDOWN_GRACE as a duration or seconds, 20 s by default, and refuses anything else', () => {
    expect(loadConfig(HTTP).shutdownGraceMs).toBe(20_000);
    expect(loadConfig({ ...HTTP, SHUTDOWN_GRACE: '1m' }).shutdownGraceMs).toBe(60_000);
    expect(loadConfig({ ...HTTP, SHUTDOWN_GRACE: '5' }).shutdownGraceMs).toBe(5000);
    expect(problemsOf({ ...HTTP, SHUTDOWN_GRACE: 'soon' })).toEqual(['SHUTDOWN_GRACE: a duration (20s, 1m) or a number of seconds']);
  });

  it('lists every problem at once', () => {
    expect(
      problemsOf({
        SLACK_APP_TOKEN: 'xoxb-wrong-kind',
        SLACK_API_URL: 'slack.com/api',
        PORT: 'eighty',
        REDIS_URL: 'http://localhost:6379',
        LOG_LEVEL: 'verbose',
        TZERO_KEY_PREFIX: 'a:b',
      }),
    ).toEqual([
      'SLACK_BOT_TOKEN: required',
      'SLACK_APP_TOKEN: must start with xapp- (an app-level token)',
      'SLACK_API_URL: must be an http(s) URL',
      'PORT: must be a number',
      'REDIS_URL: must be a redis:// or rediss:// URL',
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
      'TZERO_KEY_PREFIX: letters, digits, _ and - only',
    ]);
    expect(problemsOf({})).toEqual([
      'SLACK_BOT_TOKEN: required',
      'SLACK_SIGNING_SECRET: required in HTTP mode (set SLACK_APP_TOKEN for Socket Mode instead)',
    ]);
  });

  it('requires the signing secret in HTTP mode only, and treats empty values as unset', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: '', PORT: '' })).toEqual([
      'SLACK_SIGNING_SECRET: required in HTTP mode (set SLACK_APP_TOKEN for Socket Mode instead)',
    ]);
    expect(problemsOf({ SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: 'xapp-1' })).toEqual(['SLACK_BOT_TOKEN: required']);
    expect(problemsOf({ ...HTTP, PORT: '70000' })).toEqual(['PORT: must be 1–65535']);
  });

  it('keeps secrets out of JSON, strings and inspect, and reveals them on request', () => {
    const config = loadConfig({ ...HTTP, SLACK_APP_TOKEN: 'xapp-1-topsecret' });
    const shown = [JSON.stringify(config), inspect(config, { depth: 10, showHidden: true }), `${config.slack.botToken}`, String(config.slack.appToken)];
    for (const text of shown) {
      expect(text).not.toMatch(/xoxb-1-abc|sign-me|topsecret/);
    }
    expect(JSON.parse(JSON.stringify(config)).slack).toMatchObject({ botToken: '[redacted]', signingSecret: '[redacted]', appToken: '[redacted]' });
    expect(inspect(new Secret('x'))).toBe('[redacted]');
    expect(new Secret('x').reveal()).toBe('x');
  });

  it('gives runbook secrets from the env it was given, never its own settings', () => {
    const env: NodeJS.ProcessEnv = { ...HTTP, DNS_API_TOKEN: 'dns-123', TZERO_INTERNAL: 'no' };
    const config = loadConfig(env);
    env.DNS_API_TOKEN = 'changed later';
    expect(config.secretEnv('DNS_API_TOKEN')).toBe('dns-123');
    expect(config.secretEnv('MISSING')).toBeUndefined();
    expect(config.secretEnv('SLACK_BOT_TOKEN')).toBeUndefined();
    expect(config.secretEnv('SLACK_SIGNING_SECRET')).toBeUndefined();
    expect(config.secretEnv('TZERO_INTERNAL')).toBeUndefined();
    expect(config.secretEnv('hasOwnProperty')).toBeUndefined();
  });

  it('is frozen', () => {
    const config = loadConfig(HTTP);
    expect(Object.isFrozen(config) && Object.isFrozen(config.slack)).toBe(true);
  });
});

describe('runbooksDir', () => {
  it('reads RUNBOOKS_DIR alone, with the same default', () => {
    expect(runbooksDir({})).toBe('./runbooks');
    expect(runbooksDir({ RUNBOOKS_DIR: '' })).toBe('./runbooks');
    expect(runbooksDir({ RUNBOOKS_DIR: 'ops/runbooks' })).toBe('ops/runbooks');
  });
});
