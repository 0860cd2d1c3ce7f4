// Counts Slack Web API calls at the HTTP edge: the `fetch` handed to @slack/web-api (tzero's own
// client and Bolt's), so every method is seen, whichever code path calls it.
import type { Metrics } from './metrics.js';

type Fetch = typeof globalThis.fetch;

/** `chat.postMessage` from `https://slack.com/api/chat.postMessage`; anything unexpected → `other` (bounded labels). */
export function slackMethodOf(url: string): string {
  const last = url.split('?')[0]!.split('/').at(-1) ?? '';
  return /^[a-z]+(\.[a-zA-Z]+){1,3}$/.test(last) ? last : 'other';
}

export function meteredFetch(m: Pick<Metrics, 'slackCalls' | 'slackRateLimited'>, base: Fetch = globalThis.fetch): Fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = slackMethodOf(url);
    let res: Response;
    try {
      res = await base(input, init);
    } catch (err) {
      m.slackCalls.inc({ method, outcome: 'network_error' });
      throw err;
    }
    if (res.status === 429) m.slackRateLimited.inc({ method });
    m.slackCalls.inc({ method, outcome: res.status === 429 ? 'ratelimited' : res.ok ? 'ok' : 'http_error' });
    return res;
  };
}
