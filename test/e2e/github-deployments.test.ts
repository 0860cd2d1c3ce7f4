// The GitHub flow end to end through the Slack emulator and the GitHub stand-in: a live run
// merges master into production, waits for the fake CircleCI deploy status, and its GitHub
// deployment mirrors it (in_progress … success when the window closes clean; inactive after a
// rollback, which resets production), with log_url = the run card's permalink. Neither token
// ever reaches Redis or Slack.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import type { Run } from '../../src/engine/types.js';
import { startGitHub, type GitHubStandIn } from '../../targets/github.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

const REPO = 'therestartproject/restarters';
const TZERO_TOKEN = 'ghp_tzero_own_token_5c0ffee';
const DEPLOY_TOKEN = 'ghp_deploy_override_token_d00d';

const book = (name: string, watchFor: string) => `
name: ${name}
channel: C0CUTOVER
lock: ${name}
roles: { lead: [U0LEAD], second: [U0SECOND] }
secrets: [GH_DEPLOY_TOKEN]
github: { repo: ${REPO}, environment: production, ref: production }
steps:
  - id: merge
    name: Merge master into production
    uses: github.merge
    with: { repo: ${REPO}, base: production, head: master }
  - id: deploy
    name: Wait for the CircleCI deploy
    uses: github.checks
    with: { repo: ${REPO}, ref: "\${{ steps.merge.outputs.sha }}", require: ["ci/circleci: deploy"], within: 1m, every: 100ms, token: "\${{ secrets.GH_DEPLOY_TOKEN }}" }
watch: { for: ${watchFor} }
`;

let sys: System;
let bot: Tzero;
let gh: GitHubStandIn;
let base: string;

beforeAll(async () => {
  gh = await startGitHub({ tokens: { [TZERO_TOKEN]: 'tzero-bot', [DEPLOY_TOKEN]: 'deploy-bot' }, ci: { branch: 'production', context: 'ci/circleci: deploy', delayMs: 200 } });
  const repo = gh.repo(REPO);
  base = repo.git.commit('master', 'initial', ['README.md']);
  repo.git.move('production', base);
  sys = await startSystem({
    env: { GITHUB_TOKEN: TZERO_TOKEN, GITHUB_API_URL: gh.url, GH_DEPLOY_TOKEN: DEPLOY_TOKEN },
    runbooks: { 'ship.yml': book('ship', '1s'), 'ship-back.yml': book('ship-back', '1h') },
  });
  bot = await sys.startBot();
});
afterAll(async () => {
  await sys?.stop();
  await gh?.close();
});

async function start(name: string, until: Run['status']): Promise<Run> {
  gh.repo(REPO).git.commit('master', `work for ${name}`, [`${name}.php`]);
  await sys.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: `start ${name}` });
  return waitUntil(async () => (await bot.engine.recentRuns(5)).find((r) => r.runbook.name === name && r.status === until), 20_000, `${name} ${until}`);
}
const deploymentOf = (runId: string) => gh.repo(REPO).deployments.find((d) => (d.payload as { tzero_run?: string }).tzero_run === runId);
const states = (runId: string) => deploymentOf(runId)?.statuses.map((s) => s.state) ?? [];

it('mirrors a live run as a deployment: in_progress, then success when the window closes clean, linked to the card', async () => {
  const run = await start('ship', 'succeeded');
  expect(run.steps.map((s) => s.status)).toEqual(['done', 'done']);
  expect(run.steps[1]!.summary).toMatch(/^1 check green on \w{7}/);
  await waitUntil(() => states(run.id).includes('success'), 15_000, 'the success status');
  const d = deploymentOf(run.id)!;
  expect(d).toMatchObject({ environment: 'production', ref: 'production', creator: 'tzero-bot' });
  expect(states(run.id)).toEqual(['in_progress', 'in_progress', 'success']);
  const card = (await sys.slack.messages('C0CUTOVER')).find((m) => m.text.includes(run.id))!;
  const permalink = `${sys.emu.url}/archives/C0CUTOVER/p${card.ts.replace('.', '')}`;
  expect(d.statuses.map((s) => s.log_url)).toEqual([permalink, permalink, permalink]);
  expect(d.statuses.at(-1)!.description).toBe('rollback window closed, all clear');
});

it('goes inactive after a rollback, which force-resets production to where it was', async () => {
  const before = gh.repo(REPO).git.branches.get('production')!;
  const run = await start('ship-back', 'watching');
  expect(gh.repo(REPO).git.branches.get('production')).toBe(run.steps[0]!.outputs.sha);
  await waitUntil(() => states(run.id).length === 2, 15_000, 'in_progress twice');
  await bot.engine.rollback(run.id, 'U0LEAD', 'deploy looks wrong');
  const final = await waitUntil(async () => { const r = await bot.engine.getRun(run.id); return r?.status === 'rolled_back' ? r : null; }, 20_000, 'rolled back');
  expect(final.steps[0]!.undo).toMatchObject({ status: 'done' });
  expect(gh.repo(REPO).git.branches.get('production')).toBe(before);
  await waitUntil(() => states(run.id).at(-1) === 'inactive', 15_000, 'the inactive status');
  expect(states(run.id)).toEqual(['in_progress', 'in_progress', 'in_progress', 'inactive']);
  expect(deploymentOf(run.id)!.statuses.map((s) => s.description)).toEqual(['cutover running', 'every step done; rollback window open', 'rolling back', 'rolled back']);
});

it('keeps both GitHub tokens out of Redis and Slack', async () => {
  const redis = new Redis(process.env.REDIS_URL!);
  try {
    const dump: string[] = [];
    for (const key of await redis.keys(`${sys.prefix}*`)) {
      const type = await redis.type(key);
      if (type === 'string') dump.push((await redis.get(key)) ?? '');
      else if (type === 'hash') dump.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'set') dump.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') dump.push(JSON.stringify(await redis.zrange(key, 0, -1)));
      else if (type === 'list') dump.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'stream') dump.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
    expect(dump.length).toBeGreaterThan(10);
    const all = dump.join('\n');
    expect(all).toContain('github.merge'); // the dump really holds the runs
    expect(all).not.toContain(TZERO_TOKEN);
    expect(all).not.toContain(DEPLOY_TOKEN);
  } finally {
    redis.disconnect();
  }
  const slack = JSON.stringify(await sys.slack.state());
  expect(slack).toContain('Merge master into production');
  expect(slack).not.toContain(TZERO_TOKEN);
  expect(slack).not.toContain(DEPLOY_TOKEN);
  // The override token was really used (by the checks step), tzero's own by the merge.
  const by = (suffix: string) => new Set(gh.requests().filter((r) => r.path.endsWith(suffix)).map((r) => r.actor));
  expect(by('/status')).toEqual(new Set(['deploy-bot']));
  expect(by('/merges')).toEqual(new Set(['tzero-bot']));
  expect(by('/deployments')).toEqual(new Set(['tzero-bot']));
});
