// Calls an API as a cutover action: a maintenance-mode webhook, a DNS provider, a deploy hook.
// Unlike http.check it changes things, so it runs once per attempt (checkpointed), never in a
// rehearsal, and can pull values out of the JSON response for later steps.
import { z } from 'zod';
import { StepFailure } from '../errors.js';
import { HTTP_METHODS, HttpExpect, describeObservation, httpProbe, matchHttp } from '../lib/http-expect.js';
import { isJsonPath, readJsonPath } from '../lib/json-path.js';
import { parseDuration } from '../runbooks/duration.js';
import { Duration } from '../runbooks/schema.js';
import { defineStep } from './define-step.js';

const Input = z
  .strictObject({
    url: z.url({ protocol: /^https?$/ }),
    /** Default POST when `body` or `json` is given, else GET. */
    method: z.enum(HTTP_METHODS).optional(),
    headers: z.record(z.string().min(1), z.string()).default({}),
    body: z.string().optional(),
    json: z.unknown().optional(),
    /** Status defaults to any 2xx. */
    expect: HttpExpect.default({ headers: {}, json: {} }),
    /** Output name → JSON path in the response. */
    outputs: z.record(z.string().regex(/^[A-Za-z_][\w-]*$/), z.string().refine(isJsonPath, 'not a JSON path')).default({}),
    follow_redirects: z.boolean().default(false),
    timeout: Duration.default('30s'),
  })
  .refine((i) => i.body === undefined || i.json === undefined, { message: 'give either body or json, not both', path: ['json'] });
type Input = z.output<typeof Input>;

const methodOf = (input: Input) => input.method ?? (input.body !== undefined || input.json !== undefined ? 'POST' : 'GET');

export const httpRequest = defineStep<Input>({
  id: 'http.request',
  description: 'Calls an HTTP API (webhook, DNS provider, deploy hook); expects a 2xx by default and extracts outputs from the JSON response.',
  input: Input,
  sideEffects: true,
  dryRun: 'describe',
  examples: [
    {
      description: 'Switch the A record to Fly.io at the DNS provider',
      with: {
        url: 'https://api.dns.example/v1/zones/restarters.net/records/@/A',
        method: 'PUT',
        headers: { authorization: 'Bearer ${{ secrets.DNS_API_TOKEN }}' },
        json: { values: ['66.241.124.187'], ttl: 60 },
        expect: { json: { 'values[0]': '66.241.124.187' } },
        outputs: { change_id: 'change_id' },
      },
    },
    {
      description: 'Put the old server in maintenance mode through its control endpoint',
      with: { url: 'https://old.restarters.net/_control/maintenance', json: { on: true }, expect: { json: { maintenance: true } } },
    },
  ],
  describe: (input) => {
    const payload = input.json !== undefined ? ' with a JSON body' : input.body !== undefined ? ' with a body' : '';
    const extracts = Object.keys(input.outputs);
    return `${methodOf(input)} ${input.url}${payload}${extracts.length ? `, reading ${extracts.join(', ')}` : ''}`;
  },
  async execute(ctx) {
    const { input } = ctx;
    const method = methodOf(input);
    const headers = { ...input.headers };
    const hasHeader = (name: string) => Object.keys(headers).some((h) => h.toLowerCase() === name);
    if (input.json !== undefined && !hasHeader('content-type')) headers['content-type'] = 'application/json';

    // Sent once per attempt: a re-run after a crash reads the stored response instead of calling again.
    const observation = await ctx.checkpoint('response', () =>
      httpProbe({
        url: input.url,
        method,
        headers,
        body: input.json !== undefined ? JSON.stringify(input.json) : input.body,
        followRedirects: input.follow_redirects,
        timeoutMs: parseDuration(input.timeout),
        signal: ctx.signal,
      }),
    );
    const seen = describeObservation(method, observation);
    const match = matchHttp(input.expect, observation, '2xx');
    if (!match.ok) {
      const body = observation.ok && observation.body ? [`response: ${observation.body.slice(0, 300)}`] : [];
      throw new StepFailure(match.failures[0]!, [seen, ...match.failures, ...body]);
    }

    const extracted: Record<string, unknown> = {};
    for (const [name, path] of Object.entries(input.outputs)) {
      if (match.json === undefined) throw new StepFailure(`output ${name}: the response is not JSON`, [seen]);
      const found = readJsonPath(match.json, path);
      if (!found.found) throw new StepFailure(`output ${name}: nothing at ${path} in the response`, [seen, `missing at ${found.missingAt}`]);
      extracted[name] = found.value;
    }
    const status = observation.ok ? observation.status : undefined;
    return {
      outputs: { ...extracted, status, latency_ms: observation.latencyMs },
      summary: `HTTP ${status} in ${observation.latencyMs}ms`,
      evidence: [seen, ...Object.entries(extracted).map(([k, v]) => `${k} = ${JSON.stringify(v)}`)],
    };
  },
});
