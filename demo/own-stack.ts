// `npm run demo -- --runbooks DIR`: Redis, the Slack emulator and tzero on your own runbooks
// folder, read in place. The emulator knows the default people and channels, plus every user id
// in the runbooks' roles and every runbook channel, so each runbook can be started as is.
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { EmulatorClient } from '../emulator/client.js';
import { DEFAULT_CHANNELS, DEFAULT_USERS, type Emulator } from '../emulator/server.js';
import type { EmulatorChannel, EmulatorUser } from '../emulator/types.js';
import { createTzero, type Tzero } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { loadRunbooks } from '../src/runbooks/load.js';
import { ensureRedis, freePort, type RedisHandle } from '../test/support/redis-server.js';
import type { DemoArgs } from './demo-args.js';
import { BOT_TOKEN, dropKeys, SIGNING_SECRET, startDemoEmulator } from './demo-stack.js';

export interface OwnStack {
  redis: RedisHandle;
  emulator: Emulator;
  slack: EmulatorClient;
  tzero: Tzero;
  prefix: string;
  runbooksDir: string;
  monitorsFile: string;
  /** Runbook names, and invalid files with their first problem. */
  runbooks: string[];
  invalid: Array<{ file: string; problem: string }>;
  users: EmulatorUser[];
  channels: EmulatorChannel[];
  close(): Promise<void>;
}

/** Defaults, then what the runbooks name, then --users/--channels (which may rename). */
function merge<T extends { id: string; name: string }>(...lists: T[][]): T[] {
  const byId = new Map<string, T>();
  for (const item of lists.flat()) byId.set(item.id, item);
  return [...byId.values()];
}

export async function startOwnStack(args: DemoArgs, env: NodeJS.ProcessEnv = process.env): Promise<OwnStack> {
  const runbooksDir = path.resolve(args.runbooks!);
  if (!existsSync(runbooksDir) || !statSync(runbooksDir).isDirectory()) throw new Error(`--runbooks ${args.runbooks}: not a folder`);
  const monitorsFile = path.resolve(args.monitors ?? path.join(runbooksDir, 'monitors.yml'));
  const listing = await loadRunbooks(runbooksDir, { monitorsFile });
  const books = [...listing.runbooks.values()].map((l) => l.runbook);
  const users = merge(DEFAULT_USERS, books.flatMap((b) => Object.values(b.roles).flat().map((id) => ({ id, name: id.toLowerCase() }))), args.users);
  const channels = merge(DEFAULT_CHANNELS, books.map((b) => ({ id: b.channel, name: b.channel.toLowerCase() })), args.channels);

  const started: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
  };
  try {
    const redis = await ensureRedis(env);
    started.push(() => redis.stop());
    const emulator = await startDemoEmulator(env, { users, channels });
    started.push(() => emulator.close());
    const prefix = `demo-${randomBytes(4).toString('hex')}`;
    started.push(() => dropKeys(redis.url, prefix));
    const botPort = await freePort();
    emulator.setBotUrl(`http://127.0.0.1:${botPort}/slack/events`);
    // Your runbooks' secrets come from this environment, as with `npm start`; tzero's own
    // settings are fixed to the local stack (never Socket Mode, never a real Slack).
    const tzero = createTzero(loadConfig({
      ...env,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_APP_TOKEN: '',
      SLACK_API_URL: emulator.apiUrl,
      PORT: String(botPort),
      REDIS_URL: redis.url,
      RUNBOOKS_DIR: runbooksDir,
      LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
      TZERO_KEY_PREFIX: prefix,
      MONITORS_FILE: monitorsFile,
    }));
    await tzero.start();
    started.push(() => tzero.stop());
    return {
      redis, emulator, slack: new EmulatorClient(emulator.url), tzero, prefix, runbooksDir, monitorsFile, users, channels,
      runbooks: books.map((b) => b.name),
      invalid: listing.invalid.map((i) => ({ file: i.file, problem: i.problems[0] ?? '' })),
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
