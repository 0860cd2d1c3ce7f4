// Shapes shared by the emulator's store, Web API and control API.
// Messages and views are kept as loose JSON records because the bot may send any Block Kit it likes;
// validation (block-kit.ts) is what enforces their shape.

export type Json = Record<string, unknown>;

export interface EmulatorUser {
  id: string;
  name: string;
}

export interface EmulatorChannel {
  id: string;
  name: string;
}

export interface BotIdentity {
  /** The bot's user id, returned by auth.test as user_id. Default U0BOT. */
  userId: string;
  /** The bot id, returned by auth.test as bot_id. Default B0BOT. */
  botId: string;
  /** Display name. Default "tzero". */
  name: string;
  /** api_app_id put in every payload. Default A0TZERO. */
  appId: string;
}

export interface StoredMessage {
  type: 'message';
  subtype?: string;
  ts: string;
  channel: string;
  text: string;
  blocks?: Json[];
  user: string;
  bot_id?: string;
  app_id?: string;
  team?: string;
  thread_ts?: string;
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  edited?: { user: string; ts: string };
  /** Shared files (files.completeUploadExternal). */
  files?: Json[];
  upload?: boolean;
  /** Message metadata set by chat.postMessage (`event_type` + `event_payload`). */
  metadata?: { event_type: string; event_payload: Json };
}

export interface StoredEphemeral {
  /** message_ts as returned by chat.postEphemeral; also what block_actions carries. */
  ts: string;
  channel: string;
  user: string;
  text: string;
  blocks?: Json[];
  thread_ts?: string;
  /** Who sent it: the bot, or Slack itself (e.g. "/cutover failed"). */
  from: 'bot' | 'slackbot';
}

export interface StoredView {
  id: string;
  user: string;
  hash: string;
  view: Json;
  /** Field errors from the last `response_action: errors`, block_id → message. */
  errors?: Record<string, string>;
}

export interface ApiCallRecord {
  at: string;
  method: string;
  status: number;
  ok: boolean;
  error?: string;
  channel?: string;
}

export interface ValidationFailure {
  at: string;
  source: string;
  errors: string[];
}

export interface MethodStats {
  calls: number;
  ratelimited: number;
}

export interface DeliveryRecord {
  at: string;
  kind: 'command' | 'block_actions' | 'view_submission' | 'view_closed';
  user: string;
  status: number;
  body: string;
}
