// Silences set by a run's `silence` step: alerts of those monitors are not posted while the
// silence lasts, but they are counted and listed when it ends (unsilence, expiry, end of run).
import type { Redis } from 'ioredis';

export interface Silence {
  monitor: string;
  runId: string;
  stepId: string;
  since: number;
  /** Absent: until an `unsilence` step or the end of the run. */
  until?: number;
}

export interface EndedSilence extends Silence {
  suppressed: string[];
}

export class Silences {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  private key = (monitor: string) => `${this.prefix}:alerts:silence:${monitor}`;
  private listKey = (monitor: string) => `${this.prefix}:alerts:silence:${monitor}:suppressed`;
  private get index() {
    return `${this.prefix}:alerts:silences`;
  }

  async set(s: Silence): Promise<void> {
    await this.redis.multi().set(this.key(s.monitor), JSON.stringify(s)).sadd(this.index, s.monitor).exec();
  }

  async active(monitor: string, now: number): Promise<Silence | null> {
    const raw = await this.redis.get(this.key(monitor));
    const s = raw ? (JSON.parse(raw) as Silence) : null;
    return s && (s.until === undefined || s.until > now) ? s : null;
  }

  /** Records an alert the silence kept out of Slack. */
  async suppress(monitor: string, line: string): Promise<void> {
    await this.redis.rpush(this.listKey(monitor), line);
  }

  async all(): Promise<Silence[]> {
    const monitors = await this.redis.smembers(this.index);
    const raws = monitors.length ? await this.redis.mget(monitors.map((m) => this.key(m))) : [];
    return raws.filter((r): r is string => !!r).map((r) => JSON.parse(r) as Silence);
  }

  /** Ends the silences matching `which`; returns each with the alerts it kept back. Atomic per monitor. */
  async end(which: (s: Silence) => boolean): Promise<EndedSilence[]> {
    const out: EndedSilence[] = [];
    for (const s of await this.all()) {
      if (!which(s)) continue;
      const [[, del], [, list]] = (await this.redis
        .multi()
        .del(this.key(s.monitor))
        .lrange(this.listKey(s.monitor), 0, -1)
        .del(this.listKey(s.monitor))
        .srem(this.index, s.monitor)
        .exec()) as [[null, number], [null, string[]]];
      if (del) out.push({ ...s, suppressed: list }); // another replica may have ended it first
    }
    return out;
  }
}
