// Drives the emulator's web page in headless Chromium against a real Bolt bot.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/server.js';
import { startBolt, type TestBot } from './bolt-bot.js';
import { startTestEmulator } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Chromium comes from Debian's `chromium` package; without it this file is skipped, and says so.
describe.skipIf(!existsSync(CHROMIUM))('emulator page in a browser', () => {
  let emu: Emulator;
  let bot: TestBot;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    emu = await startTestEmulator();
    bot = await startBolt(emu);
    emu.setBotUrl(bot.url);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage();
    await page.goto(emu.url);
    await page.locator('#user-select option').nth(3).waitFor({ state: 'attached' });
  });
  afterAll(async () => {
    await browser?.close();
    await bot?.stop();
    await emu?.close();
  });

  async function command(line: string): Promise<void> {
    await page.fill('#command-input', line);
    await page.press('#command-input', 'Enter');
  }

  it('runs a slash command and shows the ack as an ephemeral only to that user', async () => {
    await page.selectOption('#user-select', 'U0LEAD');
    await command('/cutover hello');
    const eph = page.locator('.message.ephemeral', { hasText: 'Got: hello' });
    await expect.poll(() => eph.count()).toBe(1);
    expect(await eph.locator('.ephemeral-label').textContent()).toBe('Only visible to you');
    // respond({in_channel}) renders <@U0LEAD> as @lead
    await expect.poll(() => page.locator('.message:not(.ephemeral) .mention').first().textContent().catch(() => null)).toBe('@lead');
    await page.selectOption('#user-select', 'U0SECOND');
    await expect.poll(() => page.locator('.message.ephemeral').count()).toBe(0);
  });

  it('renders Block Kit and honours the confirm dialog on buttons', async () => {
    await page.selectOption('#user-select', 'U0LEAD');
    await command('/cutover plan');
    const button = page.locator('button[data-action-id="approve"]');
    await button.waitFor();
    expect(await button.getAttribute('class')).toContain('primary');
    expect(await page.locator('.bk-text b', { hasText: 'Plan' }).count()).toBeGreaterThan(0);

    const before = bot.seen.actions.length;
    await button.click();
    await page.locator('#confirm-backdrop').waitFor({ state: 'visible' });
    expect(await page.textContent('#confirm-title')).toBe('Approve?');
    await page.click('#confirm-no');
    await page.locator('#confirm-backdrop').waitFor({ state: 'hidden' });
    expect(bot.seen.actions.length).toBe(before);

    await button.click();
    await page.click('#confirm-yes');
    await expect.poll(() => bot.seen.actions.length).toBe(before + 1);
    await page.locator('.message', { hasText: 'Approved by @lead' }).waitFor();
  });

  it('opens a modal, shows field errors, and closes it on success', async () => {
    await command('/cutover start');
    await page.locator('#modal-backdrop').waitFor({ state: 'visible' });
    expect(await page.textContent('#modal-title')).toBe('Start cutover');
    await page.fill('#input-reason', 'no');
    await page.click('#modal-submit');
    await page.locator('.input-error', { hasText: 'Give a longer reason' }).waitFor();
    expect(await page.inputValue('#input-reason')).toBe('no');
    await page.fill('#input-reason', 'planned window');
    await page.click('#modal-submit');
    await page.locator('#modal-backdrop').waitFor({ state: 'hidden' });
    await page.locator('.message', { hasText: 'Cutover run-42 started: planned window' }).waitFor();
  });

  it('renders mrkdwn safely', async () => {
    // A string, so vitest does not rewrite the browser-side dynamic import.
    const html = (await page.evaluate(`(async () => {
      const { mrkdwnToHtml } = await import('/page/mrkdwn.js');
      return [
        mrkdwnToHtml('*bold* _it_ \`x *y*\` <@U1> <https://a.example/?q=1&r=2|docs>', { U1: 'lead' }),
        mrkdwnToHtml('<script>alert(1)</script> <javascript:alert(1)|x>', {}),
        mrkdwnToHtml('\`\`\`a\\n*b*\`\`\`', {}),
      ];
    })()`)) as string[];
    expect(html[0]).toBe('<b>bold</b> <i>it</i> <code>x *y*</code> <span class="mention" data-user-id="U1">@lead</span> '
      + '<a href="https://a.example/?q=1&amp;r=2" target="_blank" rel="noopener">docs</a>');
    expect(html[1]).not.toContain('<script>');
    expect(html[1]).not.toContain('href="javascript');
    expect(html[2]).toBe('<pre>a\n*b*</pre>');
  });

  it('shows Slack escapes as the characters they stand for, and emoji, the way Slack does', async () => {
    // What tzero sends for text from a target: escaped, so it must read as text, not as a mention.
    const shown = (await page.evaluate(`(async () => {
      const { mrkdwnToHtml, textObjectToHtml } = await import('/page/mrkdwn.js');
      const render = (html) => { const d = document.createElement('div'); d.innerHTML = html; return { text: d.textContent, mentions: d.querySelectorAll('.mention').length, links: [...d.querySelectorAll('a')].map((a) => a.getAttribute('href')) }; };
      return [
        render(mrkdwnToHtml(':rotating_light: &lt;!channel&gt; deploy &amp; &lt;@U0BOSS&gt; a &gt; b', {})),
        render(mrkdwnToHtml('\`\`\`x &lt;y&gt; &amp;\`\`\` \`&lt;z&gt;\`', {})),
        render(mrkdwnToHtml('<https://a.example/?q=1&amp;r=2|the &lt;log&gt;> <@U1>', { U1: 'lead' })),
        render(textObjectToHtml({ type: 'plain_text', text: ':white_check_mark: Approve', emoji: true }, {})),
      ];
    })()`)) as Array<{ text: string; mentions: number; links: string[] }>;
    expect(shown[0]).toEqual({ text: '🚨 <!channel> deploy & <@U0BOSS> a > b', mentions: 0, links: [] });
    expect(shown[1]!.text).toBe('x <y> & <z>');
    expect(shown[2]).toEqual({ text: 'the <log> @lead', mentions: 1, links: ['https://a.example/?q=1&r=2'] });
    expect(shown[3]!.text).toBe('✅ Approve');
  });

  it('cancels a modal and switches channels', async () => {
    await command('/cutover start');
    await page.locator('#modal-backdrop').waitFor({ state: 'visible' });
    await page.click('#modal-cancel');
    await page.locator('#modal-backdrop').waitFor({ state: 'hidden' });
    expect(emu.store.viewStacks.get('U0LEAD')).toBeUndefined();
    await page.click('#channel-list li[data-channel-id="C0ALERTS"]');
    expect(await page.textContent('#channel-title')).toBe('#alerts');
    expect(await page.locator('#messages .message').count()).toBe(0);
  });
});
