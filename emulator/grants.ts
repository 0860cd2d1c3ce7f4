// Short-lived capabilities Slack hands the app with each interaction: trigger_ids and response_urls.
import { newResponseId, newTriggerId } from './ids.js';

export type TriggerCheck =
  | { ok: true; user: string }
  | { ok: false; error: 'invalid_trigger_id' | 'expired_trigger_id' | 'exchanged_trigger_id' };

interface Trigger {
  user: string;
  issuedMs: number;
  used: boolean;
}

/** trigger_id: valid for 3 s and exchangeable once (reference §3). */
export class TriggerRegistry {
  private readonly triggers = new Map<string, Trigger>();

  constructor(private readonly ttlMs: number, private readonly now: () => number = Date.now) {}

  issue(user: string): string {
    const id = newTriggerId();
    this.triggers.set(id, { user, issuedMs: this.now(), used: false });
    return id;
  }

  exchange(id: unknown): TriggerCheck {
    const trigger = typeof id === 'string' ? this.triggers.get(id) : undefined;
    if (!trigger) return { ok: false, error: 'invalid_trigger_id' };
    if (trigger.used) return { ok: false, error: 'exchanged_trigger_id' };
    if (this.now() - trigger.issuedMs > this.ttlMs) return { ok: false, error: 'expired_trigger_id' };
    trigger.used = true;
    return { ok: true, user: trigger.user };
  }
}

/** What a response_url acts on: where new messages go and which message "original" means. */
export interface ResponseTarget {
  user: string;
  channel: string;
  threadTs?: string;
  original?: { ts: string; ephemeral: boolean };
}

interface ResponseGrant {
  target: ResponseTarget;
  createdMs: number;
  uses: number;
}

export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60_000;

/** response_url: at most 5 uses within 30 minutes (reference §3). */
export class ResponseUrlRegistry {
  private readonly grants = new Map<string, ResponseGrant>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(target: ResponseTarget): string {
    const id = newResponseId();
    this.grants.set(id, { target, createdMs: this.now(), uses: 0 });
    return id;
  }

  /** Counts one use; undefined when unknown, spent or expired. */
  use(id: string): ResponseTarget | undefined {
    const grant = this.grants.get(id);
    if (!grant) return undefined;
    if (grant.uses >= RESPONSE_URL_MAX_USES || this.now() - grant.createdMs > RESPONSE_URL_TTL_MS) return undefined;
    grant.uses += 1;
    return grant.target;
  }
}
