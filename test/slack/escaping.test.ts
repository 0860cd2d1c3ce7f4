// Everything from outside is data in Slack text (conventions §17): the builders escape step
// evidence, errors, notes, output, Sentry titles and monitor errors, and keep only tzero's own
// mentions and channel links live.
import { describe, expect, it } from 'vitest';
import type { AlertGroup } from '../../src/alerts/groups.js';
import { esc, link, md, Mrkdwn, user } from '../../src/lib/mrkdwn.js';
import { alertMessage } from '../../src/slack/blocks/alert-message.js';
import { stepMessage } from '../../src/slack/blocks/step-message.js';
import { allText } from '../support/block-limits.js';
import { makeStep, runWithStep, T0 } from '../support/run-fixture.js';

const EVIL = '<!channel> <@U0BOSS> <#C0PRIVATE> <https://evil.example|x> a & b';
const LIVE = /<!channel>|<@U0BOSS>|<#C0PRIVATE>|<https:\/\/evil/;

describe('escaping what targets say', () => {
  it('shows step evidence, errors, notes, summaries and output as text, never as mentions', () => {
    const step = makeStep('probe', {
      uses: 'http.request', status: 'failed', startedAt: T0, endedAt: T0 + 1000,
      summary: EVIL, evidence: [`response: ${EVIL}`], error: EVIL, note: EVIL, outputTail: EVIL,
    });
    const msg = stepMessage(runWithStep(step), 'probe', T0 + 2000);
    const text = allText(msg.blocks) + msg.text;
    expect(text).not.toMatch(LIVE);
    expect(text).toContain('&lt;!channel&gt; &lt;@U0BOSS&gt;');
    expect(text).toContain('a &amp; b');
  });

  it("keeps tzero's own channel link in a summary live (a channel the runbook names), and no other", () => {
    const run = runWithStep(makeStep('tell', { uses: 'notify', status: 'done', summary: 'posted in <#C0ALERTS>' }));
    run.runbook.steps[1]!.with = { channel: 'C0ALERTS', text: 'hi' };
    expect(allText(stepMessage(run, 'tell', T0).blocks)).toContain('posted in <#C0ALERTS>');
    run.steps[1]!.summary = 'posted in <#C0PRIVATE>';
    expect(allText(stepMessage(run, 'tell', T0).blocks)).toContain('posted in &lt;#C0PRIVATE&gt;');
  });

  it('shows Sentry titles, details and links as text; a link only to an http(s) URL', () => {
    const group: AlertGroup = {
      id: 'g1', key: 'sentry:1', source: 'sentry', status: 'firing', severity: 'critical', title: EVIL, count: 2,
      firstAt: T0, lastAt: T0, firingSince: T0, unlisted: 0, version: 1,
      items: {
        a: { title: `TypeError ${EVIL}`, status: 'firing', count: 1, url: 'https://sentry.example/i/1?a=1&b=<2>|x', details: [EVIL], lastAt: T0 },
        b: { title: 'monitor error <@U0BOSS>', status: 'firing', count: 1, url: 'javascript:alert(1)', details: [], lastAt: T0 },
      },
    };
    const msg = alertMessage(group, T0 + 1000);
    const text = allText(msg.blocks) + msg.text;
    expect(text).not.toMatch(LIVE);
    expect(text).not.toContain('javascript:');
    expect(text).toContain('monitor error &lt;@U0BOSS&gt;');
  });

  it('types trusted mrkdwn apart from plain text: md escapes values, keeps Mrkdwn parts', () => {
    const m = md`${user('U0LEAD')} said ${EVIL} in ${link('https://ok.example/?a=1&b=2', 'the <log>')}`;
    expect(m).toBeInstanceOf(Mrkdwn);
    expect(m.text).toBe('<@U0LEAD> said &lt;!channel&gt; &lt;@U0BOSS&gt; &lt;#C0PRIVATE&gt; &lt;https://evil.example|x&gt; a &amp; b in <https://ok.example/?a=1&amp;b=2|the &lt;log&gt;>');
    expect(user('<!channel>').text).toBe('&lt;!channel&gt;');
    expect(esc('<@U1>').text).toBe('&lt;@U1&gt;');
  });
});
