// The baseline: a Bolt app on the same Bolt version and options as tzero's, whose /cutover
// listener only acks. Run as a child process by the bench.
import { App, LogLevel } from '@slack/bolt';

const env = process.env;
const app = new App({
  token: env.SLACK_BOT_TOKEN!,
  signingSecret: env.SLACK_SIGNING_SECRET!,
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl: env.SLACK_API_URL!, retryConfig: { retries: 2, factor: 1.5 } },
  customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => void res.writeHead(200).end('ok') }],
});
app.command('/cutover', async ({ ack }) => {
  await ack();
});
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
await app.start(Number(env.PORT));
