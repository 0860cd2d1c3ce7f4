// EmulatorClient: typed access to the control API for tests and the demo.
import type { CommandInput, ActionInput, InteractionResult } from './interactions.js';
import type { ApiCallRecord, EmulatorChannel, EmulatorUser, Json, MethodStats, StoredEphemeral, StoredMessage, StoredView, ValidationFailure, DeliveryRecord } from './types.js';
import type { SubmitInput, SubmitResult } from './view-submission.js';

export interface ChannelSnapshot extends EmulatorChannel {
  messages: Array<StoredMessage & { replies: StoredMessage[] }>;
}

export interface EmulatorState {
  version: number;
  team: { id: string; domain: string; name: string };
  bot: { userId: string; botId: string; name: string; appId: string };
  botUrl: string | null;
  rateLimits: boolean;
  users: EmulatorUser[];
  channels: ChannelSnapshot[];
  ephemerals: Record<string, StoredEphemeral[]>;
  views: Record<string, StoredView[]>;
  apiCalls: ApiCallRecord[];
  methodStats: Record<string, MethodStats>;
  ratelimited: Record<string, number>;
  validationFailures: ValidationFailure[];
  deliveries: DeliveryRecord[];
}

export class EmulatorControlError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(`${code}: ${message}`);
  }
}

export class EmulatorClient {
  private readonly base: string;

  constructor(baseUrl: string) {
    this.base = baseUrl.replace(/\/$/, '');
  }

  /** Types a slash command as `user` in `channel` (ids or names). Resolves with the bot's ack. */
  command(input: CommandInput): Promise<InteractionResult> {
    return this.post('/_emu/command', input);
  }

  /** Clicks a button (after any confirm dialog) in a message, ephemeral or open modal. */
  click(input: ActionInput): Promise<InteractionResult> {
    return this.post('/_emu/action', input);
  }

  submitView(input: SubmitInput): Promise<SubmitResult> {
    return this.post('/_emu/view-submit', input);
  }

  closeView(input: { user: string; view_id: string }): Promise<{ notified: boolean; status?: number }> {
    return this.post('/_emu/view-close', input);
  }

  async reset(): Promise<void> {
    await this.post('/_emu/reset', {});
  }

  /** The next `dropReplies` calls of `method` are carried out, then answered with a connection reset. */
  async dropReplies(method: string, dropReplies: number): Promise<void> {
    await this.post('/_emu/faults', { method, dropReplies });
  }

  async state(): Promise<EmulatorState> {
    const res = await fetch(`${this.base}/_emu/state`);
    return (await res.json()) as EmulatorState;
  }

  /** Top-level messages of a channel (id or name), oldest first, each with its replies. */
  async messages(channel: string): Promise<ChannelSnapshot['messages']> {
    const state = await this.state();
    const name = channel.replace(/^#/, '');
    const found = state.channels.find((c) => c.id === channel || c.name === name);
    if (!found) throw new EmulatorControlError(404, 'channel_not_found', channel);
    return found.messages;
  }

  async thread(channel: string, ts: string): Promise<StoredMessage[]> {
    const parent = (await this.messages(channel)).find((m) => m.ts === ts);
    return parent?.replies ?? [];
  }

  async ephemerals(user: string): Promise<StoredEphemeral[]> {
    const state = await this.state();
    return state.ephemerals[this.userId(state, user)] ?? [];
  }

  /** The user's modal stack, bottom first; the last one is what they see. */
  async openViews(user: string): Promise<StoredView[]> {
    const state = await this.state();
    return state.views[this.userId(state, user)] ?? [];
  }

  async apiCalls(): Promise<ApiCallRecord[]> {
    return (await this.state()).apiCalls;
  }

  /** Polls until fn returns something truthy, then returns it; throws after timeoutMs. */
  async waitFor<T>(fn: (client: EmulatorClient) => Promise<T> | T, timeoutMs = 2000): Promise<NonNullable<T>> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      try {
        const value = await fn(this);
        if (value) return value as NonNullable<T>;
      } catch (err) {
        lastError = err;
      }
      if (Date.now() > deadline) {
        throw new Error(`waitFor timed out after ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private userId(state: EmulatorState, ref: string): string {
    const name = ref.replace(/^@/, '');
    return state.users.find((u) => u.id === ref || u.name === name)?.id ?? ref;
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Json;
    if (!res.ok || json.ok !== true) {
      throw new EmulatorControlError(res.status, String(json.error), String(json.message ?? ''));
    }
    return json as T;
  }
}
