// The Bolt app: HTTP receiver at POST /slack/events (plus health routes), or Socket Mode when
// an app token is configured. Listeners are registered by feature.
import { App, LogLevel, type CustomRoute } from '@slack/bolt';
import type { Config } from '../config.js';
import { registerCommands } from '../commands/index.js';
import { registerInteractions } from '../interactions/index.js';
import type { SlackDeps } from './deps.js';
import { createHttpReceiver } from './http-receiver.js';

/** `clientFetch`: the HTTP edge of Bolt's Web API clients (metrics count calls there). */
export function createBoltApp(config: Config, deps: SlackDeps, routes: CustomRoute[], clientFetch?: typeof globalThis.fetch): App {
  const common = {
    token: config.slack.botToken.reveal(),
    logLevel: LogLevel.WARN,
    clientOptions: { slackApiUrl: config.slack.apiUrl, retryConfig: { retries: 2, factor: 1.5 }, ...(clientFetch ? { fetch: clientFetch } : {}) },
  };
  // Bolt answers 404 if a listener has not acked in 3 s; ours ack first, always.
  const app =
    config.slack.mode === 'socket'
      ? // Socket Mode: the receiver serves customRoutes (/healthz, webhooks) on its own HTTP server,
        // which listens on installerOptions.port (Bolt otherwise falls back to 3000).
        new App({ ...common, customRoutes: routes, socketMode: true, appToken: config.slack.appToken!.reveal(), installerOptions: { port: config.port } })
      : new App({ ...common, receiver: createHttpReceiver(config.slack.signingSecret!.reveal(), routes, deps.log) });
  registerCommands(app, deps);
  registerInteractions(app, deps);
  return app;
}
