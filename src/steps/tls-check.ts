// Checks a server's TLS certificate before a launch: valid long enough, covering every name the
// site serves, from the expected issuer, with a chain that verifies. Read-only.
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { z } from 'zod';
import { StepFailure } from '../errors.js';
import { probeTls, uncoveredNames } from '../lib/tls-probe.js';
import { defineStep } from './define-step.js';

const CONNECT_TIMEOUT_MS = 10_000;
const DAY_MS = 86_400_000;

const Regex = z.string().min(1).superRefine((re, ctx) => {
  try {
    new RegExp(re);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `not a regular expression: ${(err as Error).message}` });
  }
});
const Input = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(443),
  /** SNI name; default: `host` (unless it is an IP address). */
  servername: z.string().min(1).optional(),
  min_days_valid: z.number().min(0).default(14),
  /** A regular expression the issuer (e.g. "CN=R11, O=Let's Encrypt, C=US") must match. */
  issuer: Regex.optional(),
  /** Names the certificate must cover; default: the servername. Wildcards cover one label. */
  names: z.array(z.string().min(1)).min(1).optional(),
  /** A PEM file of extra trusted CAs (an internal PKI); the system's CAs are always trusted. */
  ca_file: z.string().min(1).optional(),
  /** An unverified chain fails the step (default); false only records it. */
  verify_chain: z.boolean().default(true),
});
type Input = z.output<typeof Input>;

const sni = (input: Input) => input.servername ?? (net.isIP(input.host) ? undefined : input.host);

export const tlsCheck = defineStep<Input>({
  id: 'tls.check',
  description:
    'Checks the TLS certificate a server presents: at least `min_days_valid` days left (default 14), every name in `names` covered, issuer matching a regex, chain verified. Subject, SANs, issuer, notAfter, days left and chain are evidence.',
  input: Input,
  sideEffects: false,
  dryRun: 'run',
  examples: [
    {
      description: 'The new certificate on Fly.io covers the apex and www, from Let\'s Encrypt, valid 3 more weeks',
      with: { host: 'restarters.net', names: ['restarters.net', 'www.restarters.net'], issuer: "Let's Encrypt", min_days_valid: 21 },
    },
    {
      description: 'Before the DNS switch: the new server, by IP, already serves the right certificate',
      with: { host: '66.241.124.187', servername: 'restarters.net', port: 443 },
    },
  ],
  describe: (input) =>
    `check the TLS certificate of ${input.host}:${input.port}${input.servername ? ` (SNI ${input.servername})` : ''} covers ${(input.names ?? [sni(input) ?? input.host]).join(', ')} for ${input.min_days_valid}+ days`,
  async execute(ctx) {
    const { input } = ctx;
    const servername = sni(input);
    const names = input.names ?? [servername ?? input.host];
    const ca = input.ca_file ? await readFile(input.ca_file, 'utf8') : undefined;
    let facts;
    try {
      facts = await probeTls({ host: input.host, port: input.port, servername, ca, timeoutMs: CONNECT_TIMEOUT_MS, signal: ctx.signal });
    } catch (err) {
      ctx.signal.throwIfAborted();
      throw new StepFailure(`TLS to ${input.host}:${input.port} failed: ${(err as Error).message}`, [`no certificate from ${input.host}:${input.port}`]);
    }
    const daysLeft = Math.floor((Date.parse(facts.notAfter) - ctx.now()) / DAY_MS);
    const missing = uncoveredNames(facts.peer, names);
    const evidence = [
      `subject: ${facts.subject}`,
      `SANs: ${facts.sans.join(', ') || '(none)'}`,
      `issuer: ${facts.issuer}`,
      `notAfter: ${facts.notAfter} (${daysLeft} days left)`,
      `chain: ${facts.chainVerified ? 'verified' : `not verified (${facts.chainError})`}`,
    ];
    const problems: string[] = [];
    if (daysLeft < 0) problems.push(`expired ${-daysLeft} day${daysLeft === -1 ? '' : 's'} ago (${facts.notAfter})`);
    else if (daysLeft < input.min_days_valid) problems.push(`only ${daysLeft} days left, fewer than min_days_valid ${input.min_days_valid}`);
    if (missing.length) problems.push(`does not cover ${missing.join(', ')}`);
    if (input.issuer && !new RegExp(input.issuer).test(facts.issuer)) problems.push(`issuer "${facts.issuer}" does not match /${input.issuer}/`);
    if (input.verify_chain && !facts.chainVerified) problems.push(`chain not verified: ${facts.chainError}`);
    const outputs = {
      subject: facts.subject, sans: facts.sans, issuer: facts.issuer, not_after: facts.notAfter,
      days_left: daysLeft, chain_verified: facts.chainVerified, fingerprint256: facts.fingerprint256,
    };
    if (problems.length) throw new StepFailure(`certificate of ${input.host}:${input.port}: ${problems.join('; ')}`, evidence, { ...outputs, problems });
    return {
      outputs,
      summary: `certificate for ${names.join(', ')} valid ${daysLeft} more days (${facts.issuer})`,
      evidence,
    };
  },
});
