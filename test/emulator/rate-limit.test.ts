import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../emulator/rate-limit.js';
import type { Emulator } from '../../emulator/server.js';
import { startTestEmulator, TOKEN, webClient } from './helpers.js';

describe('RateLimiter buckets', () => {
  it('is off by default', () => {
    const limiter = new RateLimiter(false);
    for (let i = 0; i < 500; i++) expect(limiter.take('chat.postMessage', 'C1').limited).toBe(false);
  });

  it('gives chat.postMessage a burst of 5 per channel, refilled at 1/s', () => {
    let now = 0;
    const limiter = new RateLimiter(true, () => now);
    for (let i = 0; i < 5; i++) expect(limiter.take('chat.postMessage', 'C1').limited).toBe(false);
    expect(limiter.take('chat.postMessage', 'C1')).toEqual({ limited: true, retryAfterSeconds: 1 });
    expect(limiter.take('chat.postMessage', 'C2').limited).toBe(false); // other channel, own bucket
    now = 1000;
    expect(limiter.take('chat.postMessage', 'C1').limited).toBe(false);
    expect(limiter.take('chat.postMessage', 'C1').limited).toBe(true);
  });

  it('shares one chat.update budget across the workspace: burst 20, 50/min', () => {
    let now = 0;
    const limiter = new RateLimiter(true, () => now);
    for (let i = 0; i < 20; i++) expect(limiter.take('chat.update', `C${i % 3}`).limited).toBe(false);
    expect(limiter.take('chat.update', 'C9')).toEqual({ limited: true, retryAfterSeconds: 2 }); // 1.2 s per token
    now = 1200;
    expect(limiter.take('chat.update', 'C0').limited).toBe(false);
  });

  it('applies tier 3 (50/min) and tier 4 (100/min) per method, and custom numbers', () => {
    const limiter = new RateLimiter(true, () => 0);
    for (let i = 0; i < 50; i++) limiter.take('conversations.info', undefined);
    expect(limiter.take('conversations.info', undefined).limited).toBe(true);
    for (let i = 0; i < 100; i++) expect(limiter.take('views.open', undefined).limited).toBe(false);
    expect(limiter.take('views.open', undefined).limited).toBe(true);
    const custom = new RateLimiter({ tier4: { burst: 1, perMinute: 6 } }, () => 0);
    custom.take('chat.postEphemeral', undefined);
    expect(custom.take('chat.postEphemeral', undefined)).toEqual({ limited: true, retryAfterSeconds: 10 });
  });
});

describe('429 from the emulator', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startTestEmulator({ rateLimits: true });
  });
  afterAll(() => emu.close());

  it('answers HTTP 429 with an integer Retry-After and the ratelimited body', async () => {
    const post = () => fetch(`${emu.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ channel: 'C0ALERTS', text: 'storm' }).toString(),
    });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post()).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(await limited.json()).toEqual({ ok: false, error: 'ratelimited' });
    expect(emu.store.methodStats['chat.postMessage']).toEqual({ calls: 7, ratelimited: 2 });
    expect(emu.store.messages('C0ALERTS')).toHaveLength(5);
  });

  it('surfaces as WebAPIRateLimitedError in a real WebClient', async () => {
    const client = webClient(emu, TOKEN, { rejectRateLimitedCalls: true });
    for (let i = 0; i < 5; i++) await client.chat.postMessage({ channel: 'C0CUTOVER', text: `ok ${i}` });
    const err = await client.chat.postMessage({ channel: 'C0CUTOVER', text: 'too many' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 1 });
  });
});
