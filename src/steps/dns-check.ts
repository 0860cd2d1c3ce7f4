// Checks that a DNS switch has landed: every resolver must answer exactly the expected set,
// optionally retried until they do (`within`). Asking several resolvers catches the one that
// still serves the old address from cache.
import net from 'node:net';
import { z } from 'zod';
import { StepFailure } from '../errors.js';
import { DNS_TYPES, isResolverAddress, queryDns, sameDnsAnswer, type DnsAnswer } from '../lib/dns-query.js';
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
  })
  .superRefine((input, ctx) => {
    const valid = input.type === 'A' ? net.isIPv4 : input.type === 'AAAA' ? net.isIPv6 : undefined;
    input.expect.forEach((value, i) => {
      if (valid && !valid(value)) ctx.addIssue({ code: 'custom', path: ['expect', i], message: `not an ${input.type} value: ${value}` });
    });
  });
type Input = z.output<typeof Input>;

function show(answer: DnsAnswer): string {
  if (answer.error) return `error: ${answer.error}`;
  return answer.values.length ? answer.values.join(', ') : `(${answer.empty ?? 'empty'})`;
}

export const dnsCheck = defineStep<Input>({
  id: 'dns.check',
  description: 'Checks that every resolver answers exactly the expected records (A, AAAA, CNAME, TXT); retries until they do when `within` is set.',
  input: Input,
  sideEffects: false,
  dryRun: 'run',
  examples: [
    {
      description: 'restarters.net points at Fly.io on public resolvers',
      with: { name: 'restarters.net', type: 'A', expect: ['66.241.124.187'], resolvers: ['1.1.1.1', '8.8.8.8'], within: '10m', every: '20s' },
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
        const answers = await Promise.all(
          resolvers.map((resolver) => queryDns({ name: input.name, type: input.type, resolver, timeoutMs: QUERY_TIMEOUT_MS, signal: ctx.signal })),
        );
        const passed = answers.map((a) => !a.error && sameDnsAnswer(input.type, input.expect, a.values));
        return { ok: passed.every(Boolean), answers, passed };
      },
    );
    const { answers, passed } = outcome.last;
    const evidence = answers.map((a, i) => `${a.resolver}: ${show(a)} ${passed[i] ? '✓' : '✗'}`);
    const tries = outcome.attempts > 1 ? ` after ${outcome.attempts} tries over ${formatDuration(outcome.elapsedMs)}` : '';
    if (!outcome.last.ok) {
      const wrong = answers.filter((_, i) => !passed[i]).map((a) => a.resolver);
      throw new StepFailure(`${input.type} ${input.name}: ${wrong.join(', ')} did not answer [${input.expect.join(', ')}]${tries}`, evidence);
    }
    return {
      outputs: { answers: Object.fromEntries(answers.map((a) => [a.resolver, a.values])), attempts: outcome.attempts },
      summary: `${input.type} ${input.name} = ${input.expect.join(', ') || '(none)'} on ${answers.length} resolver${answers.length > 1 ? 's' : ''}${tries}`,
      evidence,
    };
  },
});
