// Token buckets modelled on Slack's published tiers (reference §8). Off unless rateLimits is set,
// because most tests want speed; the bot's coalescing logic is tested with it on.

export interface BucketSpec {
  /** Tokens available at once. */
  burst: number;
  /** Refill rate. */
  perMinute: number;
}

export interface RateLimitConfig {
  /** chat.postMessage, one bucket per channel. Default burst 5, 60/min (1/s). */
  postMessagePerChannel: BucketSpec;
  /** chat.update, one workspace-wide bucket. Default burst 20, 50/min. */
  chatUpdate: BucketSpec;
  /** Tier 4 methods (chat.postEphemeral, views.*, auth.test, users.info), per method. Default 100/min. */
  tier4: BucketSpec;
  /** Tier 3 methods (conversations.*, chat.delete), per method. Default 50/min. */
  tier3: BucketSpec;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  postMessagePerChannel: { burst: 5, perMinute: 60 },
  chatUpdate: { burst: 20, perMinute: 50 },
  tier4: { burst: 100, perMinute: 100 },
  tier3: { burst: 50, perMinute: 50 },
};

export type RateLimitOption = boolean | Partial<RateLimitConfig>;

const TIER: Record<string, 'tier3' | 'tier4'> = {
  'chat.postEphemeral': 'tier4',
  'views.open': 'tier4',
  'views.update': 'tier4',
  'views.push': 'tier4',
  'auth.test': 'tier4',
  'users.info': 'tier4',
  'conversations.info': 'tier3',
  'conversations.replies': 'tier3',
  'conversations.history': 'tier3',
  'chat.delete': 'tier3',
};

export type RateDecision = { limited: false } | { limited: true; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class RateLimiter {
  private readonly config: RateLimitConfig | null;
  private readonly buckets = new Map<string, Bucket>();

  constructor(option: RateLimitOption | undefined, private readonly now: () => number = Date.now) {
    if (!option) this.config = null;
    else this.config = option === true ? DEFAULT_RATE_LIMITS : { ...DEFAULT_RATE_LIMITS, ...option };
  }

  get enabled(): boolean {
    return this.config !== null;
  }

  /** Takes one token for this call, or says how long to wait. */
  take(method: string, channel: string | undefined): RateDecision {
    if (!this.config) return { limited: false };
    const [key, spec] = this.bucketFor(method, channel, this.config);
    if (!spec) return { limited: false };
    const bucket = this.refill(key, spec);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { limited: false };
    }
    const secondsPerToken = 60 / spec.perMinute;
    // Retry-After must be an integer or @slack/web-api rejects the call without retrying.
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) * secondsPerToken));
    return { limited: true, retryAfterSeconds };
  }

  private bucketFor(method: string, channel: string | undefined, config: RateLimitConfig): [string, BucketSpec | undefined] {
    if (method === 'chat.postMessage') return [`${method}:${channel ?? ''}`, config.postMessagePerChannel];
    if (method === 'chat.update') return [method, config.chatUpdate];
    const tier = TIER[method];
    return [method, tier ? config[tier] : undefined];
  }

  private refill(key: string, spec: BucketSpec): Bucket {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: spec.burst, updatedMs: now };
    const elapsedMinutes = (now - bucket.updatedMs) / 60_000;
    bucket.tokens = Math.min(spec.burst, bucket.tokens + elapsedMinutes * spec.perMinute);
    bucket.updatedMs = now;
    this.buckets.set(key, bucket);
    return bucket;
  }
}
