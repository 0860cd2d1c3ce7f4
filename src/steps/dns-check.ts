// Checks that a DNS switch has landed: every resolver must answer exactly the expected set,
// optionally retried until they do (`within`). Asking several resolvers catches the one that
// still serves the old address from cache.
import net from 'node:net';
import { z } from 'zod';
import { StepFailure } from '../errors.js';
import { DNS_TYPES, isResolverAddress, queryDns, sameDnsAnswer, type DnsAnswer } from '../lib/dns-query.js';
import { queryTtls } from '../lib/dns-ttl.js';
import { pollUntil } from '../lib/poll.js';
import { formatDuration, parseDuration } from '../runbooks/duration.js';
import { Duration } from '../runbooks/schema.js';
import { defineStep } from './define-step.js';

/** Per query; a resolver that does not answer in time counts as a failed try. */
const QUERY_TIMEOUT_MS = 3000;

const Input = z
  .strictObject({
    name: z.string().regex(/^(?=.{1,253}\.?$)[a-z0-9_](?:[a-z0-9_-]*[a-z0-9])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9])?)*\.?$/i, 'a DNS name such as restarters.net'),
    type: z.enum(DNS_TYPES).default('A'),
    /** The exact set of values every resolver must answer; empty means "no such record". */
    expect: z.array(z.string()),
    resolvers: z.array(z.string().refine(isResolverAddress, 'an ip, ip:port or [ipv6]:port')).min(1).optional(),
    within: Duration.optional(),
    every: Duration.default('5s'),
    /** Every answer record's TTL (seconds) must be at most this: a lowered TTL before a switch. */
    ttl_max: z.number().int().min(0).optional(),
  })
  .superRefine((input, ctx) => {
    const valid = input.type === 'A' ? net.isIPv4 : input.type === 'AAAA' ? net.isIPv6 : undefined;
    input.expect.forEach((value, i) => {
      if (valid && !valid(value)) ctx.addIssue({ code: 'custom', path: ['expect', i], message: `not an ${input.type} value: ${value}` });
    });
  });
type Input = z.output<typeof Input>;

/** A resolver's answer with the TTLs of its records (or why they are unknown). */
type Answer = DnsAnswer & { ttls?: number[]; ttlError?: string };

function show(answer: Answer): string {
  if (answer.error) return `error: ${answer.error}`;
  const values = answer.values.length ? answer.values.join(', ') : `(${answer.empty ?? 'empty'})`;
  const ttl = answer.ttls?.length ? ` (TTL ${Math.max(...answer.ttls)}s)` : answer.ttlError ? ` (TTL unknown: ${answer.ttlError})` : '';
  return values + ttl;
}

async function ask(input: Input, resolver: string | undefined, signal: AbortSignal): Promise<Answer> {
  const q = { name: input.name, type: input.type, resolver, timeoutMs: QUERY_TIMEOUT_MS, signal };
  const [answer, ttls] = await Promise.all([queryDns(q), queryTtls(q).then((t) => ({ t }), (err: Error) => ({ err: err.message }))]);
  return 'err' in ttls ? { ...answer, ttlError: ttls.err } : { ...answer, ttls: ttls.t };
}

function ttlOk(input: Input, a: Answer): boolean {
  return input.ttl_max === undefined || (!!a.ttls && a.ttls.every((t) => t <= input.ttl_max!));
}

export const dnsCheck = defineStep<Input>({
  id: 'dns.check',
  description:
    'Checks that every resolver answers exactly the expected records (A, AAAA, CNAME, TXT), and with `ttl_max` that every answer\'s TTL is at most that; retries until they do when `within` is set. Each resolver\'s TTL is recorded.',
  input: Input,
  sideEffects: false,
  dryRun: 'run',
  examples: [
    {
      description: 'restarters.net points at Fly.io on public resolvers',
      with: { name: 'restarters.net', type: 'A', expect: ['66.241.124.187'], resolvers: ['1.1.1.1', '8.8.8.8'], within: '10m', every: '20s' },
    },
    {
      description: 'A week before: the TTL was lowered to 60 s on every resolver, so the flip propagates fast',
      with: { name: 'restarters.net', type: 'A', expect: ['139.59.184.196'], resolvers: ['1.1.1.1', '8.8.8.8'], ttl_max: 60 },
    },
    {
      description: 'The IPv6 address has moved too',
      with: { name: 'restarters.net', type: 'AAAA', expect: ['2a09:8280:1::ce:b85f:0'], resolvers: ['1.1.1.1', '8.8.8.8'], within: '10m' },
    },
    {
      description: 'The ACME challenge CNAME for the certificate is in place before the switch',
      with: { name: '_acme-challenge.restarters.net', type: 'CNAME', expect: ['restarters.net.8vlm2q.flydns.net.'] },
    },
  ],
  describe: (input) =>
    `check that ${input.type} ${input.name} = [${input.expect.join(', ')}] on ${input.resolvers?.join(', ') ?? 'the system resolvers'}${input.within ? ` within ${input.within}` : ''}`,
  async execute(ctx) {
    const { input } = ctx;
    const resolvers: (string | undefined)[] = input.resolvers ?? [undefined];
    const outcome = await pollUntil(
      { withinMs: input.within ? parseDuration(input.within) : 0, everyMs: parseDuration(input.every), signal: ctx.signal },
      async () => {
        const answers = await Promise.all(resolvers.map((resolver) => ask(input, resolver, ctx.signal)));
        const valuesOk = answers.map((a) => !a.error && sameDnsAnswer(input.type, input.expect, a.values));
        const passed = answers.map((a, i) => valuesOk[i]! && ttlOk(input, a));
        return { ok: passed.every(Boolean), answers, passed, valuesOk };
      },
    );
    const { answers, passed, valuesOk } = outcome.last;
    const evidence = answers.map((a, i) => `${a.resolver}: ${show(a)} ${passed[i] ? '✓' : '✗'}`);
    const tries = outcome.attempts > 1 ? ` after ${outcome.attempts} tries over ${formatDuration(outcome.elapsedMs)}` : '';
    if (!outcome.last.ok) {
      const wrong = answers.filter((_, i) => !valuesOk[i]).map((a) => a.resolver);
      const slow = answers.filter((a, i) => valuesOk[i] && !ttlOk(input, a)).map((a) => `${a.resolver} (${a.ttls?.length ? `${Math.max(...a.ttls)}s` : 'unknown'})`);
      const problems = [
        ...(wrong.length ? [`${wrong.join(', ')} did not answer [${input.expect.join(', ')}]`] : []),
        ...(slow.length ? [`TTL above ttl_max ${input.ttl_max}s at ${slow.join(', ')}`] : []),
      ];
      throw new StepFailure(`${input.type} ${input.name}: ${problems.join('; ')}${tries}`, evidence, {
        answers: Object.fromEntries(answers.map((a) => [a.resolver, a.error ? { error: a.error } : a.values])),
        ttls: Object.fromEntries(answers.map((a) => [a.resolver, a.ttls?.length ? Math.max(...a.ttls) : null])),
        attempts: outcome.attempts,
      });
    }
    return {
      outputs: {
        answers: Object.fromEntries(answers.map((a) => [a.resolver, a.values])),
        ttls: Object.fromEntries(answers.map((a) => [a.resolver, a.ttls?.length ? Math.max(...a.ttls) : null])),
        attempts: outcome.attempts,
      },
      summary: `${input.type} ${input.name} = ${input.expect.join(', ') || '(none)'} on ${answers.length} resolver${answers.length > 1 ? 's' : ''}${tries}`,
      evidence,
    };
  },
});
