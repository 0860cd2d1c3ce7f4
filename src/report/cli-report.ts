// `tzero report <run> [--format md|json] [--out FILE]` and `tzero report --schema`: the same
// report Slack gets, read from Redis (REDIS_URL, TZERO_KEY_PREFIX). Loaded only for this
// command, so the offline commands never touch ioredis.
import { writeFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { storeSettings } from '../config.js';
import { keys } from '../engine/keys.js';
import { RunStore } from '../engine/run-store.js';
import { reportMarkdown } from './markdown.js';
import { loadReport } from './publish.js';
import { reportJsonSchema } from './schema.js';

export interface ReportArgs {
  runId?: string;
  format: 'md' | 'json';
  out?: string;
  schema: boolean;
}

type Io = { out(line: string): void; err(line: string): void; env: NodeJS.ProcessEnv };

export async function reportCommand(a: ReportArgs, io: Io): Promise<number> {
  if (a.schema) {
    io.out(JSON.stringify(reportJsonSchema(), null, 2));
    return 0;
  }
  let settings;
  try {
    settings = storeSettings(io.env);
  } catch (err) {
    io.err(`tzero report: ${(err as Error).message}`);
    return 2;
  }
  // No endless reconnects: a CLI says it cannot reach Redis and stops.
  const redis = new Redis(settings.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null, enableOfflineQueue: false });
  try {
    await redis.connect();
    const report = await loadReport(new RunStore(redis, keys(settings.keyPrefix)), a.runId!);
    if (!report) {
      io.err(`tzero report: there is no run "${a.runId}" in ${settings.redisUrl.replace(/\/\/[^@/]*@/, '//')} (prefix ${settings.keyPrefix})`);
      return 1;
    }
    const text = a.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : reportMarkdown(report);
    if (a.out) await writeFile(a.out, text);
    else io.out(text.replace(/\n$/, ''));
    return 0;
  } catch (err) {
    io.err(`tzero report: ${(err as Error).message}`);
    return 1;
  } finally {
    redis.disconnect();
  }
}
