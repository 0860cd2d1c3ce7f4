// Everything `npm run demo` runs, in one process: Redis, the Slack emulator, the demo world
// (old/new site, DNS, DNS provider) and tzero itself with the production outbox pacing.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import { EmulatorClient } from '../emulator/client.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/server.js';
import { createTzero, type Tzero } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { ensureRedis, freePort, type RedisHandle } from '../test/support/redis-server.js';
import { DNS_API_TOKEN, GITHUB_TOKEN, startWorld, type World } from './world.js';

// Local-only credentials: the emulator accepts exactly these, nothing real is involved.
export const SIGNING_SECRET = 'demo-signing-secret-5d1e0c9a';
export const BOT_TOKEN = 'xoxb-demo-token-not-real';

export interface DemoStack {
  redis: RedisHandle;
  emulator: Emulator;
  slack: EmulatorClient;
  world: World;
  tzero: Tzero;
  prefix: string;
  close(): Promise<void>;
}

/** Port 3100 by default so the URL is predictable; any free port when that one is taken. */
export async function startDemoEmulator(env: NodeJS.ProcessEnv, people: Pick<EmulatorOptions, 'users' | 'channels'> = {}): Promise<Emulator> {
  const port = Number(env.EMULATOR_PORT ?? env.PORT ?? 3100);
  const opts: EmulatorOptions = { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, rateLimits: true, ...people };
  try {
    return await startEmulator({ ...opts, port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    return startEmulator({ ...opts, port: 0 });
  }
}

export async function startDemoStack(env: NodeJS.ProcessEnv = process.env): Promise<DemoStack> {
  const started: Array<() => Promise<void>> = [];
  // Undo what did start if a later piece fails, so a failed start leaves no redis-server behind.
  const closeAll = async () => {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
  };
  try {
    const redis = await ensureRedis(env);
    started.push(() => redis.stop());
    const emulator = await startDemoEmulator(env);
    started.push(() => emulator.close());
    const world = await startWorld();
    started.push(() => world.close());
    const runbooksDir = world.writeRunbooks();
    const monitorsFile = world.writeMonitors(runbooksDir);
    started.push(async () => rmSync(runbooksDir, { recursive: true, force: true }));
    const prefix = `demo-${randomBytes(4).toString('hex')}`;
    started.push(() => dropKeys(redis.url, prefix));
    const botPort = await freePort();
    emulator.setBotUrl(`http://127.0.0.1:${botPort}/slack/events`);
    // Built explicitly rather than from process.env: the emulator may have taken PORT.
    const tzero = createTzero(loadConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: emulator.apiUrl,
      PORT: String(botPort),
      REDIS_URL: redis.url,
      RUNBOOKS_DIR: runbooksDir,
      LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
      TZERO_KEY_PREFIX: prefix,
      MONITORS_FILE: monitorsFile,
      DNS_API_TOKEN,
      GITHUB_TOKEN,
      GITHUB_API_URL: world.github.url,
    }));
    await tzero.start();
    started.push(() => tzero.stop());
    return { redis, emulator, slack: new EmulatorClient(emulator.url), world, tzero, prefix, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** A shared Redis keeps no trace of a demo run: its keys all start with the run's own prefix. */
export async function dropKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    for (const pattern of [`${prefix}:*`, `${prefix}-bull:*`]) {
      let cursor = '0';
      do {
        const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        if (found.length) await redis.del(...found);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}
