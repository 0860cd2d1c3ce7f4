// startEmulator: a local Slack (Web API, signed deliveries or Socket Mode, response_urls, a web page) on one port.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorContext, TeamIdentity } from './context.js';
import { handleControl } from './control.js';
import { EventHub } from './events.js';
import { ResponseUrlRegistry, TriggerRegistry } from './grants.js';
import { sendJson } from './http-util.js';
import { RateLimiter, type RateLimitOption } from './rate-limit.js';
import { SocketModeHub } from './socket-mode.js';
import { servePage } from './static-page.js';
import { EmulatorStore } from './store.js';
import type { BotIdentity, EmulatorChannel, EmulatorUser } from './types.js';
import { handleApi } from './web-api/router.js';
import { FileStore } from './files.js';
import { handleUpload } from './upload-route.js';

export interface EmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** Where signed requests go (the bot's /slack/events). Can be set later with setBotUrl(). */
  botUrl?: string;
  /** Shared with the bot; signs every HTTP delivery. Unused in Socket Mode (which has no signing). */
  signingSecret: string;
  /** App-level token (xapp-…) that apps.connections.open accepts; without it Socket Mode is off. */
  appToken?: string;
  /**
   * true: deliver commands and interactions only over Socket Mode (dispatch_failed when no app is
   * connected). Default false: over Socket Mode while an app is connected, else signed HTTP.
   */
  socketMode?: boolean;
  /** The only Bearer token the Web API accepts. */
  botToken: string;
  /** false (default) = no limits; true = Slack-like defaults; an object overrides single buckets. */
  rateLimits?: RateLimitOption;
  /** Default: U0LEAD lead, U0SECOND second, U0COMMS comms, U0OUTSIDER outsider. */
  users?: EmulatorUser[];
  /** Default: C0CUTOVER cutover, C0ALERTS alerts. */
  channels?: EmulatorChannel[];
  /** Workspace id. Default T0TZERO. */
  team?: string;
  /** Override the bot's identity (auth.test answers). */
  bot?: Partial<BotIdentity>;
  /** trigger_id lifetime. Default 3000 ms, as in Slack; tests of expiry lower it. */
  triggerTtlMs?: number;
  /** How long the bot has to ack. Default 3000 ms, as in Slack. */
  ackTimeoutMs?: number;
}

export interface Emulator {
  /** Base URL, e.g. http://127.0.0.1:4321 (no trailing slash). */
  url: string;
  /** url + '/api/', for WebClient's slackApiUrl. */
  apiUrl: string;
  setBotUrl(url: string): void;
  store: EmulatorStore;
  /** Issues a trigger_id as if the user had just interacted (for tests of views.* alone). */
  issueTriggerId(user: string): string;
  close(): Promise<void>;
}

export const DEFAULT_USERS: EmulatorUser[] = [
  { id: 'U0LEAD', name: 'lead' },
  { id: 'U0SECOND', name: 'second' },
  { id: 'U0COMMS', name: 'comms' },
  { id: 'U0OUTSIDER', name: 'outsider' },
];

export const DEFAULT_CHANNELS: EmulatorChannel[] = [
  { id: 'C0CUTOVER', name: 'cutover' },
  { id: 'C0ALERTS', name: 'alerts' },
];

export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  const teamId = opts.team ?? 'T0TZERO';
  const team: TeamIdentity = { id: teamId, domain: 'tzero-dev', name: 'tzero dev' };
  const bot: BotIdentity = { userId: 'U0BOT', botId: 'B0BOT', name: 'tzero', appId: 'A0TZERO', ...opts.bot };
  const store = new EmulatorStore(opts.users ?? DEFAULT_USERS, opts.channels ?? DEFAULT_CHANNELS);
  const ctx: EmulatorContext = {
    store, files: new FileStore(), bot, team, botToken: opts.botToken, signingSecret: opts.signingSecret,
    triggers: new TriggerRegistry(opts.triggerTtlMs ?? 3000),
    responseUrls: new ResponseUrlRegistry(),
    rateLimiter: new RateLimiter(opts.rateLimits),
    botUrl: opts.botUrl, baseUrl: '', ackTimeoutMs: opts.ackTimeoutMs ?? 3000,
    appToken: opts.appToken, socketMode: opts.socketMode ?? false, socket: new SocketModeHub(bot.appId),
    faults: new Map(),
  };
  const events = new EventHub(store);
  const server = createServer((req, res) => {
    route(req, res, ctx, events).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal_error', message: String(err) });
      else res.end();
    });
  });
  ctx.socket.attach(server);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  ctx.baseUrl = `http://${publicHost}:${port}`;
  return {
    url: ctx.baseUrl,
    apiUrl: `${ctx.baseUrl}/api/`,
    store,
    setBotUrl: (url) => {
      ctx.botUrl = url;
      store.changed();
    },
    issueTriggerId: (user) => ctx.triggers.issue(store.findUser(user)?.id ?? user),
    close: async () => {
      events.close();
      ctx.socket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function route(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, events: EventHub): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://emulator').pathname;
  if (path.startsWith('/api/')) {
    if (req.method !== 'POST' && req.method !== 'GET') return sendJson(res, 405, { ok: false, error: 'method_not_allowed' });
    return handleApi(req, res, path.slice('/api/'.length), ctx);
  }
  if (await handleUpload(req, res, path, ctx)) return;
  if (req.method === 'GET' && path === '/_emu/events') return events.attach(req, res, ctx.store.currentVersion);
  if (await handleControl(req, res, path, ctx)) return;
  if (req.method === 'GET' && (await servePage(path, res))) return;
  sendJson(res, 404, { ok: false, error: 'not_found' });
}
