// Everything a route handler needs, built once by startEmulator and passed explicitly.
import type { ResponseUrlRegistry, TriggerRegistry } from './grants.js';
import type { RateLimiter } from './rate-limit.js';
import type { SocketModeHub } from './socket-mode.js';
import type { FileStore } from './files.js';
import type { EmulatorStore } from './store.js';
import type { BotIdentity } from './types.js';

export interface TeamIdentity {
  id: string;
  domain: string;
  name: string;
}

export interface EmulatorContext {
  store: EmulatorStore;
  files: FileStore;
  bot: BotIdentity;
  team: TeamIdentity;
  botToken: string;
  signingSecret: string;
  triggers: TriggerRegistry;
  responseUrls: ResponseUrlRegistry;
  rateLimiter: RateLimiter;
  /** Where signed requests go; settable after start because the bot usually starts later. */
  botUrl: string | undefined;
  /** The emulator's own base URL, used to build response_urls. */
  baseUrl: string;
  /** How long the bot has to answer a delivery before Slack gives up (3000 ms in Slack). */
  ackTimeoutMs: number;
  /** The app-level (xapp-) token apps.connections.open accepts; Socket Mode is off without it. */
  appToken: string | undefined;
  /** Deliver over Socket Mode even when no client is connected (then: dispatch_failed). */
  socketMode: boolean;
  socket: SocketModeHub;
  /**
   * Injected faults, per Web API method: the next `dropReplies` calls are carried out, then the
   * connection is reset without an answer (Slack did the work, the reply was lost).
   */
  faults: Map<string, { dropReplies: number }>;
}
