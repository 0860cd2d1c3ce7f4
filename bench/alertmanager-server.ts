// The Alertmanager webhook ingest alone, as tzero runs it (a Bolt App, HTTPReceiver,
// customRoutes, the Redis inbox), in its own process for bench/alertmanager-ingest.ts.
import { App, LogLevel } from '@slack/bolt';
import { Redis } from 'ioredis';
import { alertmanagerWebhookRoute } from '../src/alerts/alertmanager/route.js';
import { RedisAlertInbox } from '../src/alerts/inbox.js';
import { createLogger } from '../src/log.js';

const env = process.env;
const redis = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null });
const inbox = new RedisAlertInbox(redis, env.TZERO_KEY_PREFIX!);
const log = createLogger('warn', 'alertmanager-bench');
const app = new App({
  signingSecret: 'bench-slack-signing-secret', token: 'xoxb-bench', tokenVerificationEnabled: false, logLevel: LogLevel.WARN,
  customRoutes: [alertmanagerWebhookRoute({ token: env.ALERTMANAGER_TOKEN, inbox, log })],
});
await app.start(Number(env.PORT));
process.on('SIGTERM', () => void app.stop().then(() => redis.quit()).finally(() => process.exit(0)));
process.stdout.write('ready\n');
