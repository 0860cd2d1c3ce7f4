// `npm run emulator`: run the Slack emulator on its own. Dev tooling, so it reads env directly.
import { startEmulator } from './server.js';

function flagFromEnv(value: string | undefined): boolean {
  return value === '1' || value === 'true' || value === 'on';
}

const emulator = await startEmulator({
  port: Number(process.env.PORT ?? 3900),
  host: process.env.HOST ?? '127.0.0.1',
  botUrl: process.env.BOT_URL,
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? 'emulator-signing-secret',
  botToken: process.env.SLACK_BOT_TOKEN ?? 'xoxb-emulator-token',
  appToken: process.env.SLACK_APP_TOKEN || undefined,
  socketMode: flagFromEnv(process.env.SOCKET_MODE),
  rateLimits: flagFromEnv(process.env.RATE_LIMITS),
});

console.log(`Slack emulator at ${emulator.url}`);
console.log(`  Web API:  ${emulator.apiUrl}  (slackApiUrl)`);
if (process.env.SLACK_APP_TOKEN) console.log('  Socket Mode: apps.connections.open takes SLACK_APP_TOKEN');
console.log(`  Bot URL:  ${process.env.BOT_URL ?? '(not set: set BOT_URL to deliver commands)'}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}
