// Alert groups (Alertmanager's model): alerts with one group key share one Slack message whose
// counts add up exactly to what arrived. State in Redis, updated compare-and-set.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { casUpdate, casUpdateOnce } from '../lib/cas-json.js';
import type { AlertEvent, AlertSeverity, AlertSource, AlertStatus } from './types.js';

const MAX_ITEMS = 50; // per group message; beyond that, items are counted, not listed

export interface AlertItem {
  title: string;
  status: AlertStatus;
  count: number;
  url?: string;
  details: string[];
  lastAt: number;
}

export interface AlertGroup {
  id: string;
  key: string;
  source: AlertSource;
  status: AlertStatus;
  severity: AlertSeverity;
  title: string;
  /** What the group is (the Sentry rule and project); the title is then only the latest alert's. */
  name?: string;
  /** Every event received for this group, including resolutions. */
  count: number;
  firstAt: number;
  lastAt: number;
  /** Since when it fires this time (for "resolved after …"). */
  firingSince: number;
  resolvedAt?: number;
  items: Record<string, AlertItem>;
  /** Events of fingerprints not listed because the group already lists MAX_ITEMS. */
  unlisted: number;
  /** Alerts the sender left out of its latest notification (Alertmanager's max_alerts). */
  truncated?: number;
  /** Last "still firing" reminder (Alertmanager's repeat_interval). */
  repeatedAt?: number;
  version: number;
}

export const groupId = (key: string) => createHash('sha1').update(key).digest('hex').slice(0, 16);
const RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

export class AlertGroups {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  private key(id: string) {
    return `${this.prefix}:alerts:group:${id}`;
  }

  private get firingIndex() {
    return `${this.prefix}:alerts:firing`;
  }

  /** Groups firing now (kept in step by `add`). */
  async firing(): Promise<AlertGroup[]> {
    const ids = await this.redis.smembers(this.firingIndex);
    const groups = await Promise.all(ids.map((id) => this.get(id)));
    return groups.filter((g): g is AlertGroup => !!g && g.status === 'firing');
  }

  /** Claims the reminder of a group still firing `repeatMs` after the last one; once across replicas. */
  async claimRepeat(id: string, now: number, repeatMs: number): Promise<AlertGroup | null> {
    let claimed = false;
    const g = await casUpdate<AlertGroup>(this.redis, this.key(id), (g) => {
      if (g.status !== 'firing' || now - (g.repeatedAt ?? g.firingSince) < repeatMs) return false;
      g.repeatedAt = now;
      claimed = true;
    });
    return claimed ? g : null;
  }

  async get(id: string): Promise<AlertGroup | null> {
    const raw = await this.redis.get(this.key(id));
    return raw ? (JSON.parse(raw) as AlertGroup) : null;
  }

  /**
   * Adds one event received at `now`; returns the group and whether this event changed it from
   * firing to resolved or back. Group times are receipt times (Sentry's event timestamps can be
   * old or skewed); a monitor's `downSince` is kept because it is when the outage began.
   */
  async add(e: AlertEvent, now: number): Promise<{ group: AlertGroup; transition: 'fired' | 'resolved' | null; newItem: boolean }> {
    const id = groupId(e.group);
    let transition: 'fired' | 'resolved' | null = null;
    let newItem = false;
    // Counted once per event id, atomically with the update: an event delivered again after a
    // crash (the inbox is at-least-once) does not count twice.
    const once = { marker: `${this.prefix}:alerts:counted:${e.id}`, ttlSec: 86_400 };
    const { doc, duplicate } = await casUpdateOnce<AlertGroup>(this.redis, this.key(id), once, (g) => {
      const wasFiring = g.count > 0 && g.status === 'firing';
      g.count += e.count ?? 1;
      g.lastAt = now;
      if (e.groupName) g.name = e.groupName;
      newItem = !g.items[e.fingerprint];
      const item = g.items[e.fingerprint];
      if (item) Object.assign(item, { status: e.status, count: item.count + (e.count ?? 1), lastAt: now, title: e.title, details: e.details, url: e.url ?? item.url });
      else if (Object.keys(g.items).length < MAX_ITEMS) g.items[e.fingerprint] = { title: e.title, status: e.status, count: e.count ?? 1, url: e.url, details: e.details, lastAt: now };
      else g.unlisted += e.count ?? 1;
      if (e.truncated !== undefined) g.truncated = e.truncated;
      const firing = Object.values(g.items).some((i) => i.status === 'firing');
      g.status = firing ? 'firing' : 'resolved';
      if (e.status === 'firing' && RANK[e.severity] > RANK[g.severity]) g.severity = e.severity;
      if (firing && !wasFiring) {
        transition = 'fired';
        g.firingSince = e.downSince ?? now; // a monitor is down since its first failed probe
        g.resolvedAt = undefined;
        g.repeatedAt = undefined;
        g.title = e.title;
      } else if (!firing && wasFiring) {
        transition = 'resolved';
        g.resolvedAt = now;
      }
    }, () => ({ id, key: e.group, source: e.source, status: e.status, severity: e.severity, title: e.title, count: 0, firstAt: now, lastAt: now, firingSince: e.downSince ?? now, items: {}, unlisted: 0, version: 0 }));
    const group = doc ?? (await this.get(id))!;
    if (duplicate) return { group, transition: null, newItem: false };
    if (group.status === 'firing') await this.redis.sadd(this.firingIndex, id);
    else await this.redis.srem(this.firingIndex, id);
    return { group, transition, newItem };
  }
}
