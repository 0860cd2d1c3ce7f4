// The conformance test over the step registry (conventions §5): the table matches the files on
// disk, every step is documented, and every example parses through the real runbook schema and
// the step's own input, and runs: `run` steps against local stand-ins for the hosts they name.
import { parseDuration } from '../../src/runbooks/duration.js';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StepFailure } from '../../src/errors.js';
import { Step } from '../../src/runbooks/schema.js';
import type { StepDefinition, StepExample } from '../../src/steps/define-step.js';
import { findStep, stepRegistry } from '../../src/steps/registry.js';
import { startDnsProvider, type DnsProvider } from '../../targets/dns-provider.js';
import { startDnsServer, type DnsServer } from '../../targets/dns-server.js';
import { startSite, type Site } from '../../targets/site.js';
import { ApprovalSignal, WaitSignal, rejection, runStep } from '../support/step-context.js';
import { daysFromNow, makeCa, startTlsServer, type TestCa, type TlsServer } from '../support/tls-certs.js';
import { githubFixture, REPO, type GitHubFixture } from '../support/github.js';
import { runGitHubExample } from './github-examples.js';

const stepsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/steps');
const stepFiles = readdirSync(stepsDir).filter((f) => f.endsWith('.ts') && f !== 'define-step.ts' && f !== 'registry.ts');
const definitions = [...stepRegistry.values()];
const examples = definitions.flatMap((def) => def.examples.map((example, i) => ({ def, example, label: `${def.id} #${i + 1}: ${example.description}` })));

const isStepDefinition = (v: unknown): v is StepDefinition =>
  !!v && typeof v === 'object' && typeof (v as StepDefinition).id === 'string' && typeof (v as StepDefinition).execute === 'function';

/** Any `${{ }}` in an example resolves to a recognizable placeholder (the DNS token to the real one). */
const DNS_TOKEN = 'example-dns-token';
const placeholder = (expression: string) => (expression === 'secrets.DNS_API_TOKEN' ? DNS_TOKEN : `example:${expression}`);

describe('step registry', () => {
  it('registers every file in src/steps, and every registered step lives in its own kebab-case file', async () => {
    const fromFiles = new Map<string, StepDefinition>();
    for (const file of stepFiles) {
      const exported = Object.values(await import(path.join(stepsDir, file))).filter(isStepDefinition);
      expect(exported, `${file} should export exactly one step`).toHaveLength(1);
      expect(file, `${exported[0]!.id} should live in a file named after its id`).toBe(`${exported[0]!.id.replace(/\./g, '-')}.ts`);
      fromFiles.set(file, exported[0]!);
    }
    expect(new Set(fromFiles.values())).toEqual(new Set(definitions));
    expect(definitions.map((d) => d.id).sort()).toEqual([
      'approval', 'assert', 'checklist', 'dns.check', 'github.checks', 'github.merge', 'github.pulls', 'github.ref', 'github.workflow',
      'http.check', 'http.request', 'notify', 'shell', 'silence', 'tls.check', 'unsilence', 'wait',
    ]);
  });

  it('has unique ids, and an unknown `uses:` names what exists', () => {
    expect(new Set(definitions.map((d) => d.id)).size).toBe(definitions.length);
    expect(() => findStep('http.get')).toThrow(/unknown step type "http.get"; known: notify, shell, http.check/);
  });

  it.each(definitions.map((d) => [d.id, d] as const))('%s has a description, a strict schema and examples', (_id, def) => {
    expect(def.description.length).toBeGreaterThan(20);
    expect(def.input).toBeInstanceOf(z.ZodType);
    expect(def.examples.length).toBeGreaterThan(0);
    // Typos in `with` are errors, not silently ignored fields.
    expect(def.input.safeParse({ ...def.examples[0]!.with, tyop: 1 }).success).toBe(false);
    for (const field of def.rawFields ?? []) expect(def.examples.some((e) => field in e.with)).toBe(true);
  });
});

describe('step examples', () => {
  let newSite: Site;
  let oldSite: Site;
  let edge: Site;
  let resolverA: DnsServer;
  let resolverB: DnsServer;
  let provider: DnsProvider;
  let providerZone: DnsServer;
  let github: GitHubFixture;

  beforeAll(async () => {
    [newSite, oldSite, edge] = await Promise.all([
      startSite({ name: 'new-site', hsts: true }),
      startSite({ name: 'old-site' }),
      startSite({ name: 'edge', redirectTo: 'https://restarters.net' }),
    ]);
    [resolverA, resolverB, providerZone] = await Promise.all([1, 2, 3].map(() => startDnsServer({ zone: 'restarters.net' })));
    provider = await startDnsProvider({ dns: providerZone, token: DNS_TOKEN });
    // The GitHub stand-in holds the examples' repository; the example's secret token is accepted too.
    github = await githubFixture({ tokens: { [placeholder('secrets.GITHUB_DEPLOY_TOKEN')]: 'deploy-bot' } });
  });
  /** Local TLS stand-ins for restarters.net: a good certificate and an expired one (made on first use). */
  let tlsCa: TestCa | undefined;
  let tlsServers: { good: TlsServer; expired: TlsServer } | undefined;
  async function tlsStandIns() {
    if (tlsServers) return { ca: tlsCa!, ...tlsServers };
    tlsCa = makeCa();
    const names = ['restarters.net', 'www.restarters.net'];
    tlsServers = {
      good: await startTlsServer(tlsCa.issue({ cn: names[0]!, names, from: daysFromNow(-1), to: daysFromNow(80) })),
      expired: await startTlsServer(tlsCa.issue({ cn: names[0]!, names, from: daysFromNow(-100), to: daysFromNow(-1) })),
    };
    return { ca: tlsCa, ...tlsServers };
  }
  afterAll(async () => {
    if (tlsServers) await Promise.all([tlsServers.good.close(), tlsServers.expired.close()]);
    tlsCa?.close();
    await Promise.all([newSite, oldSite, edge, provider, github].map((t) => t.close()));
    await Promise.all([resolverA, resolverB, providerZone].map((t) => t.close()));
  });

  /** The local stand-in for a public URL in an example; an unknown host fails the test. */
  function localUrl(url: string): { url: string; site?: Site } {
    const u = new URL(url);
    const target =
      u.host === 'restarters.net' ? (u.protocol === 'https:' ? newSite : edge) : u.host === 'old.restarters.net' ? oldSite : u.host === 'api.dns.example' ? provider : undefined;
    if (!target) throw new Error(`example URL ${url} has no local stand-in: add one to this test`);
    return { url: target.url + u.pathname + u.search, site: 'counts' in target ? target : undefined };
  }

  const modeOf = (def: StepDefinition, input: unknown) => (typeof def.dryRun === 'function' ? def.dryRun(input) : def.dryRun);

  it.each(examples.map((e) => [e.label, e] as const))('%s parses through the runbook Step schema and the step input', (_label, { def, example }) => {
    const step = Step.parse({ id: 'example', uses: def.id, with: example.with });
    expect(step.with).toEqual(example.with);
    const parsed = def.input.safeParse(example.with);
    expect(parsed.error?.message).toBeUndefined();
    const text = def.describe(parsed.data);
    expect(typeof text).toBe('string');
    expect(text.length).toBeGreaterThan(5);
  });

  async function runExample(def: StepDefinition, example: StepExample) {
    const input = def.input.parse(example.with);
    const mode = modeOf(def, input);
    const w: Record<string, unknown> = structuredClone(example.with);

    switch (def.id) {
      case 'http.check': {
        const { url, site } = localUrl(w.url as string);
        const before = site!.counts().total!;
        const result = await runStep(def, { ...w, url }, { expressions: placeholder });
        expect(result.outputs?.status).toBe(input.expect.status === undefined ? 200 : [input.expect.status].flat()[0]);
        expect(site!.counts().total! - before, 'the local stand-in must have been asked').toBeGreaterThan(0);
        // Not tautological: the same check fails against a site in maintenance.
        oldSite.setMaintenance(true);
        try {
          await rejection(runStep(def, { ...w, url: localUrl(url.replace(site!.url, 'https://old.restarters.net')).url, within: undefined }, { expressions: placeholder }), StepFailure);
        } finally {
          oldSite.setMaintenance(false);
        }
        return mode;
      }
      case 'dns.check': {
        const resolvers = [resolverA, resolverB].slice(0, Math.max(2, (input.resolvers ?? []).length));
        for (const r of resolvers) r.setRecords(input.name, input.type, input.expect, input.ttl_max ?? 300);
        const local = { ...w, resolvers: resolvers.map((r) => r.address) };
        const result = await runStep(def, local, { expressions: placeholder });
        expect(Object.keys(result.outputs?.answers as object)).toEqual(resolvers.map((r) => r.address));
        const other = { A: ['192.0.2.1'], AAAA: ['2001:db8::1'], CNAME: ['elsewhere.example'], TXT: ['other'] }[input.type as 'A'];
        resolverB.setRecords(input.name, input.type, other);
        await rejection(runStep(def, { ...local, within: undefined }, { expressions: placeholder }), StepFailure);
        return mode;
      }
      case 'http.request': {
        const { url, site } = localUrl(w.url as string);
        const changes = provider.changes().length;
        const result = await runStep(def, { ...w, url }, { expressions: placeholder });
        expect(result.outputs?.status).toBe(200);
        for (const name of Object.keys(input.outputs)) expect(result.outputs?.[name]).toBeDefined();
        if (!site) expect(provider.changes().length).toBe(changes + 1);
        site?.setMaintenance(false);
        return mode;
      }
      case 'notify': {
        const roles = { lead: ['U0LEAD'], engineering: ['U0ENG'], comms: ['U0COMMS'] };
        if (input.review) {
          // Reviewed: the role is pinged, and the step waits with the draft instead of posting it.
          const signal = await rejection(runStep(def, w, { roles, expressions: placeholder }), ApprovalSignal);
          expect(signal.request.review?.text).toBe(input.text);
          expect(signal.request.approvers).toEqual([input.review]);
          return mode;
        }
        const result = await runStep(def, w, { roles, expressions: placeholder });
        expect(result.fake.notifications).toHaveLength(1);
        expect(result.fake.notifications[0]!.text).not.toMatch(/(^|\s)@(lead|engineering)\b/);
        return mode;
      }
      case 'tls.check': {
        const { ca, good, expired } = await tlsStandIns();
        const local = (port: number) => ({ ...w, host: '127.0.0.1', port, servername: input.servername ?? input.host, ca_file: ca.caFile });
        const result = await runStep(def, local(good.port));
        expect(result.outputs?.chain_verified).toBe(true);
        await rejection(runStep(def, local(expired.port)), StepFailure);
        return mode;
      }
      case 'checklist': {
        const signal = await rejection(runStep(def, w, { expressions: placeholder }), ApprovalSignal);
        expect(signal.request.checklist?.items.map((i) => i.id)).toEqual(input.items.map((i: { id: string }) => i.id));
        expect(signal.request.approvers).toContain('lead');
        return mode;
      }
      case 'approval': {
        const signal = await rejection(runStep(def, w, { expressions: placeholder }), ApprovalSignal);
        expect(signal.request).toMatchObject({ prompt: input.prompt, approvers: input.approvers, min: input.min });
        return mode;
      }
      case 'wait': {
        const signal = await rejection(runStep(def, w, { now: () => Date.parse('2026-05-05T11:00:00Z') }), WaitSignal);
        expect(signal.at).toBeGreaterThan(Date.parse('2026-05-05T11:00:00Z'));
        return mode;
      }
      case 'shell':
        // Examples call fly, ssh and the team's scripts: a rehearsal only describes them, and so do we.
        expect(mode).toBe('describe');
        expect(def.describe(input)).toContain(typeof input.run === 'string' ? input.run.trim().slice(0, 20) : input.run[0]);
        return mode;
      case 'silence':
      case 'unsilence': {
        const now = Date.parse('2026-05-05T12:02:00Z');
        const result = await runStep(def, w, { now: () => now });
        expect(result.fake.silences).toEqual([
          def.id === 'silence'
            ? { op: 'silence', monitors: input.monitors, until: input.for ? now + parseDuration(input.for) : undefined }
            : { op: 'unsilence', monitors: input.monitors },
        ]);
        return mode;
      }
      case 'assert': {
        // Outputs that make every line hold; then each referenced output moved, which must fail.
        const values: Record<string, string> = {
          'steps.reconcile.outputs.missing': '0', 'steps.counts.outputs.old': '1000', 'steps.counts.outputs.new': '1000',
          'steps.health.outputs.version': 'v2.0.0', 'steps.health.outputs.status': '200',
        };
        const result = await runStep(def, w, { expressions: values });
        expect(result.evidence?.every((e) => e.startsWith('✓'))).toBe(true);
        const wrong = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, /^\d+$/.test(v) ? String(Number(v) - 900) : 'other']));
        await rejection(runStep(def, w, { expressions: wrong }), StepFailure);
        return mode;
      }
      case 'github.merge':
      case 'github.ref':
      case 'github.checks':
      case 'github.workflow':
      case 'github.pulls':
        expect(REPO).toBe(input.repo);
        await runGitHubExample(def, w, github, placeholder);
        return mode;
      default:
        throw new Error(`no way to run examples of ${def.id}: teach this test`);
    }
  }

  it.each(examples.map((e) => [e.label, e] as const))('%s runs', async (_label, { def, example }) => {
    const mode = await runExample(def, example);
    expect(['run', 'describe']).toContain(mode);
  });

  it('covers both dry-run behaviours among the examples', () => {
    const modes = new Set(examples.map(({ def, example }) => modeOf(def, def.input.parse(example.with))));
    expect(modes).toEqual(new Set(['run', 'describe']));
  });
});
