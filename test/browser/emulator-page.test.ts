// The emulator's web page driven like a person would: pick a user, type the slash command,
// wait for the approval in the thread, switch user, click Approve and confirm the dialog.
// Real Chromium (Debian's /usr/bin/chromium) against the emulator and a real tzero.
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DNS_API_TOKEN, GITHUB_TOKEN, startWorld, type World } from '../../demo/world.js';
import type { Tzero } from '../../src/app.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = '.tmp/emulator-page.png';

let world: World;
let sys: System;
let bot: Tzero;
let browser: Browser;

beforeAll(async () => {
  // Fail loudly rather than skip: a browser test that silently does nothing proves nothing.
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
  world = await startWorld({ ciDelayMs: 100 });
  // The runbook silences and watches the sites' health monitors: they must exist (as in the demo).
  sys = await startSystem({ runbooks: { 'restarters-go-live.yml': world.runbook }, env: { DNS_API_TOKEN, GITHUB_TOKEN, GITHUB_API_URL: world.github.url, MONITORS_FILE: world.writeMonitors() } });
  bot = await sys.startBot();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await sys?.stop();
  await world?.close();
});

async function actAs(page: Page, name: string) {
  await page.locator('#user-select').selectOption({ label: `@${name}` });
}

describe('the emulator page', () => {
  it('runs a cutover from the browser: typed /cutover, Approve with its confirm dialog', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    page.setDefaultTimeout(15_000);
    await page.goto(sys.emu.url);
    await page.locator('#user-select option').nth(3).waitFor({ state: 'attached' });

    await actAs(page, 'second');
    await page.locator('#command-input').pressSequentially('/cutover start restarters-go-live');
    await page.locator('#command-input').press('Enter');
    await page.locator('#command-status', { hasText: '/cutover delivered' }).waitFor();
    const eph = await sys.slack.waitFor(async (c) => (await c.ephemerals('U0SECOND')).find((e) => /run `?[a-z0-9]{6}/i.test(e.text)), 5000);
    const runId = /run `?([a-z0-9]{6})`?/i.exec(eph.text)![1]!;

    // The Approve button only exists once the approval step posted its thread message.
    const approve = page.locator('.thread .bk-button[data-action-id="step_approve"]');
    await approve.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await page.locator('#messages > .message').first().innerText()).toContain(runId);
    mkdirSync('.tmp', { recursive: true });
    await approve.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '.tmp/emulator-page-approval.png' });

    await actAs(page, 'lead');
    await approve.click();
    await page.locator('#confirm-backdrop').waitFor({ state: 'visible' });
    expect(await page.locator('#confirm-title').innerText()).toBe('Approve approve-dns?');
    await page.locator('#confirm-yes').click();
    await page.locator('#confirm-backdrop').waitFor({ state: 'hidden' });

    const run = await waitUntil(async () => {
      const r = await bot.engine.getRun(runId);
      return r?.status === 'watching' ? r : null; // every step done; the rollback window is open
    }, 20_000, 'every step done');
    expect(run.steps.find((s) => s.id === 'approve-dns')!.approval!.approvals.map((a) => a.user)).toEqual(['U0LEAD']);
    // The decision as a person reads it: a mention of @lead, not a raw user id.
    await page.locator('.thread', { hasText: /Approved by @lead at/ }).first().waitFor();
    await page.locator('.thread .bk-button[data-action-id="step_approve"]').waitFor({ state: 'detached' });

    // The channel scrolls inside the page, so a tall viewport is what shows the whole thread.
    await page.setViewportSize({ width: 1280, height: 3000 });
    await page.screenshot({ path: SCREENSHOT });
    await page.close();
  });
});
