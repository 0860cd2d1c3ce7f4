import { describe, expect, it } from 'vitest';
import { expandRoleMentions, notify } from '../../src/steps/notify.js';
import { runStep } from '../support/step-context.js';

const roles = { lead: ['U0LEAD'], comms: ['U0COMMS1', 'U0COMMS2'], 'on-call': ['U0ONCALL'], empty: [] };

describe('notify', () => {
  it('posts in the thread, turning @role into mentions of everyone in the role', async () => {
    const result = await runStep(notify, { text: '@lead @comms: DNS switched. cc @on-call, not @nobody or ops@lead.example' }, { roles });
    expect(result.fake.notifications).toEqual([
      { text: '<@U0LEAD> <@U0COMMS1> <@U0COMMS2>: DNS switched. cc <@U0ONCALL>, not @nobody or ops@lead.example' },
    ]);
    expect(result.outputs).toEqual({ channel: 'C0CUTOVER', mentioned: ['U0LEAD', 'U0COMMS1', 'U0COMMS2', 'U0ONCALL'] });
  });

  it('posts in another channel when given one', async () => {
    const result = await runStep(notify, { channel: 'C0COORDINATORS', text: 'Window started' });
    expect(result.fake.notifications).toEqual([{ text: 'Window started', channel: 'C0COORDINATORS' }]);
  });

  it('leaves unknown or empty roles, existing mentions and longer words alone', () => {
    expect(expandRoleMentions('@empty <@U0X> @lead-engineer @leader @lead.', roles).text).toBe('@empty <@U0X> @lead-engineer @leader <@U0LEAD>.');
    expect(expandRoleMentions('@constructor @toString', roles).text).toBe('@constructor @toString');
  });

  it('shows ${{ }} values as text: an HTTP body with <!channel> or a value "@lead" pings no one', async () => {
    const body = '<!channel> done <@U0BOSS> & @lead';
    const result = await runStep(
      notify,
      { text: '@lead result: ${{ steps.call.outputs.body }} in <#C0ALERTS>, <https://grafana.example/d?a=1|dashboard>, <!here> & more' },
      { roles, expressions: { 'steps.call.outputs.body': body } },
    );
    expect(result.fake.notifications).toEqual([{
      text: '<@U0LEAD> result: &lt;!channel&gt; done &lt;@U0BOSS&gt; &amp; @lead in <#C0ALERTS>, <https://grafana.example/d?a=1|dashboard>, &lt;!here&gt; &amp; more',
    }]);
    expect(result.outputs?.mentioned).toEqual(['U0LEAD']);
  });

  it('runs for real in a dry run in the thread, describes posting elsewhere', () => {
    expect(typeof notify.dryRun === 'function' && notify.dryRun(notify.input.parse({ text: 'x' }))).toBe('run');
    expect(typeof notify.dryRun === 'function' && notify.dryRun(notify.input.parse({ text: 'x', channel: 'C0OTHER' }))).toBe('describe');
    expect(() => notify.input.parse({ text: 'x', channel: '#general' })).toThrow(/channel id/);
  });

  it('previews a described post with its values filled in, never a raw ${{ }}', () => {
    const input = notify.input.parse({ text: 'Deploying ${{ vars.version }} to ${{ vars.host }}', channel: 'C0OTHER' });
    const preview = notify.describe(input, (e) => ({ 'vars.version': 'v2.4.1', 'vars.host': 'prod-1' })[e] ?? '?');
    expect(preview).toContain('Deploying v2.4.1 to prod-1');
    expect(preview).not.toContain('${{');
  });
});
