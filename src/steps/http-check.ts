// A smoke test over HTTP: status, headers, body and JSON expectations, optionally retried
// until they pass (`within`), e.g. "the new site answers 200 with HSTS within 5m of the DNS switch".
import { z } from 'zod';
import { StepFailure } from '../errors.js';
import { HTTP_METHODS, HttpExpect, describeObservation, httpProbe, matchHttp, type HttpMatch, type HttpObservation } from '../lib/http-expect.js';
import { pollUntil } from '../lib/poll.js';
import { formatDuration, parseDuration } from '../runbooks/duration.js';
import { Duration } from '../runbooks/schema.js';
import { defineStep } from './define-step.js';

const Input = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  method: z.enum(HTTP_METHODS).default('GET'),
  headers: z.record(z.string().min(1), z.string()).default({}),
  /** Status defaults to 200. */
  expect: HttpExpect.default({ headers: {}, json: {} }),
  /** Off by default: checking that a URL answers 301 is a common smoke test. */
  follow_redirects: z.boolean().default(false),
  /** Keep trying until it passes or this long has passed; default one try. */
  within: Duration.optional(),
  every: Duration.default('5s'),
  /** Per request. */
  timeout: Duration.default('10s'),
});
type Input = z.output<typeof Input>;

export const httpCheck = defineStep<Input>({
  id: 'http.check',
  description: 'Checks a URL: status (default 200), header and body regexes, JSON values; retries until it passes when `within` is set.',
  input: Input,
  sideEffects: false,
  dryRun: 'run',
  examples: [
    {
      description: 'Homepage loads over HTTPS with the HSTS header, once DNS has moved',
      with: {
        url: 'https://restarters.net/',
        expect: { status: 200, headers: { 'strict-transport-security': 'max-age=\\d+' }, body: 'Restarters' },
        within: '10m',
        every: '15s',
      },
    },
    {
      description: 'Health endpoint reports ok',
      with: { url: 'https://restarters.net/api/health', expect: { json: { status: 'ok', 'checks.db': 'ok' } } },
    },
    {
      description: 'Static assets are served with long caching',
      with: { url: 'https://restarters.net/static/app.css', expect: { headers: { 'content-type': '^text/css', 'cache-control': 'immutable' } } },
    },
    {
      description: 'Plain HTTP redirects to HTTPS',
      with: { url: 'http://restarters.net/robots.txt', expect: { status: [301, 308], headers: { location: '^https://restarters\\.net/' } } },
    },
  ],
  describe: (input) => {
    const status = input.expect.status === undefined ? 200 : [input.expect.status].flat().join('/');
    return `check ${input.method} ${input.url} answers ${status}${input.within ? ` within ${input.within}` : ''}`;
  },
  async execute(ctx) {
    const { input } = ctx;
    const outcome = await pollUntil<{ ok: boolean; observation: HttpObservation; match: HttpMatch }>(
      { withinMs: input.within ? parseDuration(input.within) : 0, everyMs: parseDuration(input.every), signal: ctx.signal },
      async (attempt) => {
        const observation = await httpProbe({
          url: input.url,
          method: input.method,
          headers: input.headers,
          followRedirects: input.follow_redirects,
          timeoutMs: parseDuration(input.timeout),
          signal: ctx.signal,
        });
        const match = matchHttp(input.expect, observation, 200);
        if (!match.ok && input.within) ctx.log.info('http check not passing yet', { attempt, failures: match.failures });
        return { ok: match.ok, observation, match };
      },
    );
    const { observation, match } = outcome.last;
    const seen = describeObservation(input.method, observation);
    const tries = outcome.attempts > 1 ? ` after ${outcome.attempts} tries over ${formatDuration(outcome.elapsedMs)}` : '';
    const headerEvidence = Object.entries(match.matchedHeaders).map(([k, v]) => `${k}: ${v}`);
    if (!match.ok) throw new StepFailure(`${match.failures[0]}${tries}`, [seen, ...match.failures, ...headerEvidence]);
    const status = observation.ok ? observation.status : undefined;
    return {
      outputs: { status, headers: match.matchedHeaders, latency_ms: observation.latencyMs, attempts: outcome.attempts },
      summary: `HTTP ${status} in ${observation.latencyMs}ms${tries}`,
      evidence: [seen, ...headerEvidence],
    };
  },
});
