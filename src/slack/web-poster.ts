// The outbox's Slack edge: chat.postMessage / chat.update through @slack/web-api.
// Rate-limited calls are rejected (not retried inside the client) so the outbox can pause
// every delivery for Retry-After and keep the coalesced state instead of a queue of stale edits.
import { WebClient } from '@slack/web-api';
import type { SlackPoster } from './outbox-sync.js';

/** `fetch`: the HTTP edge, e.g. one that counts calls per method (src/metrics/slack-fetch.ts). */
export function createWebClient(token: string, apiUrl: string, fetch?: typeof globalThis.fetch): WebClient {
  return new WebClient(token, { slackApiUrl: apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout: 10_000, ...(fetch ? { fetch } : {}) });
}

export function webPoster(client: WebClient): SlackPoster {
  return {
    async post({ channel, thread_ts, text, blocks }) {
      const res = await client.chat.postMessage({ channel, thread_ts, text, blocks, unfurl_links: false, unfurl_media: false });
      return { ts: res.ts! };
    },
    async update({ channel, ts, text, blocks }) {
      await client.chat.update({ channel, ts, text, blocks });
    },
  };
}
