// In-memory workspace state: channels, messages, ephemerals, views and the logs tests assert on.
// Every mutation goes through `changed()` so the page and SSE listeners see one tick per change.
import { nextTs } from './ids.js';
import type {
  ApiCallRecord, DeliveryRecord, EmulatorChannel, EmulatorUser, MethodStats, StoredEphemeral,
  StoredMessage, StoredView, ValidationFailure,
} from './types.js';

const LOG_CAP = 2000;

interface ChannelState {
  info: EmulatorChannel;
  messages: StoredMessage[];
  replies: Map<string, StoredMessage[]>;
}

export class EmulatorStore {
  readonly users: EmulatorUser[];
  private readonly channels = new Map<string, ChannelState>();
  readonly ephemerals: StoredEphemeral[] = [];
  /** Per user, the modal stack, bottom first. */
  readonly viewStacks = new Map<string, StoredView[]>();
  readonly apiCalls: ApiCallRecord[] = [];
  readonly validationFailures: ValidationFailure[] = [];
  readonly methodStats: Record<string, MethodStats> = {};
  readonly deliveries: DeliveryRecord[] = [];
  private version = 0;
  private readonly listeners = new Set<(version: number) => void>();

  constructor(users: EmulatorUser[], channels: EmulatorChannel[]) {
    this.users = users.map((u) => ({ ...u }));
    for (const c of channels) this.channels.set(c.id, { info: { ...c }, messages: [], replies: new Map() });
  }

  onChange(listener: (version: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    this.version += 1;
    for (const l of this.listeners) l(this.version);
  }

  get currentVersion(): number {
    return this.version;
  }

  /** Accepts an id ("C0CUTOVER") or a name with or without "#". */
  findChannel(ref: string): EmulatorChannel | undefined {
    const name = ref.replace(/^#/, '');
    if (this.channels.has(ref)) return this.channels.get(ref)!.info;
    return [...this.channels.values()].find((c) => c.info.name === name)?.info;
  }

  /** Accepts an id ("U0LEAD") or a name with or without "@". */
  findUser(ref: string): EmulatorUser | undefined {
    const name = ref.replace(/^@/, '');
    return this.users.find((u) => u.id === ref || u.name === name);
  }

  listChannels(): EmulatorChannel[] {
    return [...this.channels.values()].map((c) => c.info);
  }

  messages(channelId: string): StoredMessage[] {
    return this.channels.get(channelId)?.messages ?? [];
  }

  replies(channelId: string, parentTs: string): StoredMessage[] {
    return this.channels.get(channelId)?.replies.get(parentTs) ?? [];
  }

  /** Top-level message or thread reply with this ts. */
  findMessage(channelId: string, ts: string): StoredMessage | undefined {
    const state = this.channels.get(channelId);
    if (!state) return undefined;
    const top = state.messages.find((m) => m.ts === ts);
    if (top) return top;
    for (const list of state.replies.values()) {
      const reply = list.find((m) => m.ts === ts);
      if (reply) return reply;
    }
    return undefined;
  }

  addMessage(msg: Omit<StoredMessage, 'ts' | 'type'>): StoredMessage {
    const state = this.channels.get(msg.channel);
    if (!state) throw new Error(`unknown channel ${msg.channel}`);
    const stored: StoredMessage = { type: 'message', ts: nextTs(), ...msg };
    if (stored.thread_ts) {
      const parent = state.messages.find((m) => m.ts === stored.thread_ts);
      if (!parent) throw new Error(`thread parent ${stored.thread_ts} not found`);
      const list = state.replies.get(parent.ts) ?? [];
      list.push(stored);
      state.replies.set(parent.ts, list);
      parent.thread_ts = parent.ts;
      parent.reply_count = list.length;
      parent.latest_reply = stored.ts;
      parent.reply_users = [...new Set([...(parent.reply_users ?? []), stored.user])];
    } else {
      state.messages.push(stored);
    }
    this.changed();
    return stored;
  }

  deleteMessage(channelId: string, ts: string): boolean {
    const state = this.channels.get(channelId);
    if (!state) return false;
    const index = state.messages.findIndex((m) => m.ts === ts);
    if (index >= 0) {
      state.messages.splice(index, 1);
      state.replies.delete(ts);
      this.changed();
      return true;
    }
    for (const [parentTs, list] of state.replies) {
      const i = list.findIndex((m) => m.ts === ts);
      if (i < 0) continue;
      list.splice(i, 1);
      const parent = state.messages.find((m) => m.ts === parentTs);
      if (parent) parent.reply_count = list.length;
      this.changed();
      return true;
    }
    return false;
  }

  addEphemeral(eph: Omit<StoredEphemeral, 'ts'>): StoredEphemeral {
    const stored: StoredEphemeral = { ts: nextTs(), ...eph };
    this.ephemerals.push(stored);
    this.changed();
    return stored;
  }

  findEphemeral(user: string, channel: string, ts: string): StoredEphemeral | undefined {
    return this.ephemerals.find((e) => e.user === user && e.channel === channel && e.ts === ts);
  }

  removeEphemeral(eph: StoredEphemeral): void {
    const i = this.ephemerals.indexOf(eph);
    if (i >= 0) this.ephemerals.splice(i, 1);
    this.changed();
  }

  findView(viewId: string): StoredView | undefined {
    for (const stack of this.viewStacks.values()) {
      const found = stack.find((v) => v.id === viewId);
      if (found) return found;
    }
    return undefined;
  }

  recordCall(call: ApiCallRecord): void {
    pushCapped(this.apiCalls, call);
    const stats = (this.methodStats[call.method] ??= { calls: 0, ratelimited: 0 });
    stats.calls += 1;
    if (call.status === 429) stats.ratelimited += 1;
    this.changed();
  }

  recordValidationFailure(source: string, errors: string[]): void {
    pushCapped(this.validationFailures, { at: new Date().toISOString(), source, errors });
    this.changed();
  }

  recordDelivery(delivery: DeliveryRecord): void {
    pushCapped(this.deliveries, delivery);
    this.changed();
  }

  /** Forget messages, ephemerals, views and logs; users and channels stay. */
  reset(): void {
    for (const state of this.channels.values()) {
      state.messages.length = 0;
      state.replies.clear();
    }
    this.ephemerals.length = 0;
    this.viewStacks.clear();
    this.apiCalls.length = 0;
    this.validationFailures.length = 0;
    this.deliveries.length = 0;
    for (const key of Object.keys(this.methodStats)) delete this.methodStats[key];
    this.changed();
  }
}

function pushCapped<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > LOG_CAP) list.splice(0, list.length - LOG_CAP);
}
