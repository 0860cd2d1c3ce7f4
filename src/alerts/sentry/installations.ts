// Sentry installations of our integration (uuid → org), recorded from `installation` webhooks.
import type { Redis } from 'ioredis';
import { alertKeys } from '../keys.js';
import type { SentryInstallation } from './parse.js';

export interface SentryInstallationRecord extends SentryInstallation {
  /** When the webhook arrived (ms since epoch). */
  at: number;
}

export class SentryInstallations {
  private readonly key: string;

  constructor(private readonly redis: Redis, prefix: string) {
    this.key = alertKeys(prefix).sentryInstallations;
  }

  /** Keeps the latest state per installation (a `deleted` is recorded, not erased). */
  async record(i: SentryInstallation, at = Date.now()): Promise<void> {
    const rec: SentryInstallationRecord = { ...i, at };
    await this.redis.hset(this.key, i.uuid, JSON.stringify(rec));
  }

  async get(uuid: string): Promise<SentryInstallationRecord | undefined> {
    const raw = await this.redis.hget(this.key, uuid);
    return raw ? (JSON.parse(raw) as SentryInstallationRecord) : undefined;
  }
}
