// The outbox's Slack edge: chat.postMessage / chat.update through @slack/web-api.
// Rate-limited calls are rejected (not retried inside the client) so the outbox can pause
// every delivery for Retry-After and keep the coalesced state instead of a queue of stale edits.
import { WebClient } from '@slack/web-api';
import type { SlackPoster } from './outbox-sync.js';

/** `fetch`: the HTTP edge, e.g. one that counts calls per method (src/metrics/slack-fetch.ts). */
export function createWebClient(token: string, apiUrl: string, fetch?: typeof globalThis.fetch): WebClient {
  return new WebClient(token, { slackApiUrl: apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout: 10_000, ...(fetch ? { fetch } : {}) });
}

/** Message metadata type of tzero's posts: `event_payload.key` is the outbox key. */
export const METADATA_TYPE = 'tzero_message';

type Found = { ts?: string; metadata?: { event_type?: string; event_payload?: Record<string, unknown> } };

export function webPoster(client: WebClient): SlackPoster {
  return {
    async post({ channel, thread_ts, text, blocks, key }) {
      const res = await client.chat.postMessage({
        channel, thread_ts, text, blocks, unfurl_links: false, unfurl_media: false,
        metadata: { event_type: METADATA_TYPE, event_payload: { key } },
      });
      return { ts: res.ts! };
    },
    // conversations.history / .replies (channels:history, groups:history), newest first.
    async find({ channel, thread_ts, key, oldest }) {
      const args = { channel, oldest: (oldest / 1000).toFixed(6), include_all_metadata: true, limit: 200 };
      const res = thread_ts ? await client.conversations.replies({ ...args, ts: thread_ts }) : await client.conversations.history(args);
      const hit = ((res.messages ?? []) as Found[]).find((m) => m.metadata?.event_type === METADATA_TYPE && m.metadata.event_payload?.key === key);
      return hit?.ts ?? null;
    },
    async update({ channel, ts, text, blocks }) {
      await client.chat.update({ channel, ts, text, blocks });
    },
  };
}
