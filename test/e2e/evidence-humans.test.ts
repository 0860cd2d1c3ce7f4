// Checklists and reviewed messages through the Slack emulator: who may tick an item, N/A
// reasons, notes, and a draft that the comms role Sends, Edits or Holds. Every decision and
// every refusal is in the audit stream.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import type { Run } from '../../src/engine/types.js';
import { startSystem, waitUntil, type System } from '../support/system.js';
import { isDecision } from '../../src/engine/audit-events.js';

let sys: System;
let bot: Tzero;

const roles = 'roles: { lead: [U0LEAD], dba: [U0SECOND], comms: [U0COMMS] }';
const checklistBook = (name: string, extra = '') => `
name: ${name}
channel: C0CUTOVER
${roles}
steps:
  - id: preflight
    uses: checklist
    with:
      ${extra}
      items:
        - { id: backup, text: "Backup taken and restorable", owner: dba }
        - { id: announce, text: "Customers told about the window", owner: comms }
        - { id: extra-check, text: "Nice to have", owner: dba, required: false }
  - { id: after, uses: notify, with: { text: "checklist passed" } }
`;
const reviewBook = (name: string, channel = '') => `
name: ${name}
channel: C0CUTOVER
${roles}
steps:
  - id: announce
    uses: notify
    with: { text: "We are live on the new site. Questions: @lead", review: comms${channel ? `, channel: ${channel}` : ''} }
  - { id: after, uses: notify, with: { text: "announced" } }
`;

beforeAll(async () => {
  sys = await startSystem({
    runbooks: {
      'pre.yml': checklistBook('pre'),
      'signed.yml': checklistBook('signed', 'note_required: true'),
      'comms.yml': reviewBook('comms'),
      'announce.yml': reviewBook('announce', 'C0ALERTS'),
      'by-hand.yml': `
name: by-hand
channel: C0CUTOVER
${roles}
steps:
  - id: migrate
    uses: notify
    with: { text: "schema migrated" }
    undo:
      uses: checklist
      with:
        items:
          - { id: schema-restored, text: "Confirm by hand that the schema migration is undone", owner: dba }
  - { id: gate, uses: approval, with: { prompt: "Go on?", approvers: [lead] } }
`,
    },
  });
  bot = await sys.startBot();
});
afterAll(() => sys?.stop());

const get = async (id: string) => (await bot.engine.getRun(id))!;
const audit = (id: string) => bot.store.audit(id);

async function startAndWait(name: string, action: string, flags = ''): Promise<{ run: Run; ts: string }> {
  const before = new Set((await bot.engine.recentRuns(50)).map((r) => r.id));
  await sys.slack.command({ user: 'U0LEAD', channel: 'C0CUTOVER', text: `start ${name}${flags}` });
  const run = await waitUntil(async () => (await bot.engine.recentRuns(10)).find((r) => r.runbook.name === name && !before.has(r.id) && r.steps.some((s) => s.status === 'awaiting_approval')), 10_000, name);
  const msg = await sys.slack.waitFor(async (c) => (await c.messages('C0CUTOVER')).find((m) => m.text.includes(run.id))?.replies.find((r) => JSON.stringify(r.blocks).includes(action)), 10_000);
  return { run, ts: msg.ts };
}
const untilRun = (id: string, ok: (r: Run) => boolean, what: string) => waitUntil(async () => { const r = await get(id); return ok(r) ? r : null; }, 10_000, what);
const ephemeral = (user: string, re: RegExp) => sys.slack.waitFor(async (c) => (await c.ephemerals(user)).find((e) => re.test(e.text)), 5000);

it('checklist: only the owner or the lead ticks an item, refusals are audited, N/A needs a reason', async () => {
  const { run, ts } = await startAndWait('pre', 'checklist_done');
  const click = (user: string, item: string, action: 'checklist_done' | 'checklist_na') => sys.slack.click({ user, channel: 'C0CUTOVER', ts, action_id: action, block_id: `checklist_${item}` });

  // comms does not own the backup item: refused, audited, nothing ticked.
  await click('U0COMMS', 'backup', 'checklist_done');
  await ephemeral('U0COMMS', /Only \*?dba\*? or the lead may tick "backup"/);
  expect((await get(run.id)).steps[0]!.approval!.ticks ?? {}).toEqual({});
  expect(await waitUntil(async () => (await audit(run.id)).find((a) => a.kind === 'denied' && a.user === 'U0COMMS'), 5000, 'denial audited')).toMatchObject({ step: 'preflight', note: expect.stringMatching(/^tick: /) });
  // An outsider cannot open the N/A modal either.
  await click('U0OUTSIDER', 'announce', 'checklist_na');
  await ephemeral('U0OUTSIDER', /Only .*comms.* or the lead/);
  expect(await sys.slack.openViews('U0OUTSIDER')).toHaveLength(0);

  // The owner ticks Done with a double click: it counts once, and the second click (sent before
  // the message lost its button, so the server decides) is told who ticked it.
  await Promise.all([click('U0SECOND', 'backup', 'checklist_done'), click('U0SECOND', 'backup', 'checklist_done')]);
  await untilRun(run.id, (r) => !!r.steps[0]!.approval!.ticks?.backup, 'backup ticked');
  await ephemeral('U0SECOND', /"backup" was already ticked done by <@U0SECOND>/);
  expect((await get(run.id)).steps[0]!.status).toBe('awaiting_approval');

  // N/A opens the reason modal; an empty reason is refused under the field.
  await click('U0COMMS', 'announce', 'checklist_na');
  const view = await sys.slack.waitFor(async (c) => (await c.openViews('U0COMMS'))[0], 5000);
  const empty = await sys.slack.submitView({ user: 'U0COMMS', view_id: view.id, values: { na_reason: { na_reason_input: ' ' } } });
  expect(empty.outcome).toBe('errors');
  expect((await get(run.id)).steps[0]!.approval!.ticks?.announce).toBeUndefined();
  const ok = await sys.slack.submitView({ user: 'U0COMMS', view_id: view.id, values: { na_reason: { na_reason_input: 'No customers use the old site any more' } } });
  expect(ok.outcome).toBe('closed');

  // Every required item is ticked: the step is done (the optional one stays open) and the run goes on.
  const done = await untilRun(run.id, (r) => r.status === 'succeeded', 'run succeeded');
  const step = done.steps[0]!;
  expect(step.status).toBe('done');
  expect(step.summary).toBe('Checklist complete: 1 done, 1 N/A, 1 optional left open');
  expect(step.outputs.items).toMatchObject({
    backup: { state: 'done', by: 'U0SECOND' },
    announce: { state: 'na', by: 'U0COMMS', note: 'No customers use the old site any more' },
    'extra-check': { state: 'open' },
  });
  expect(step.evidence).toEqual([
    expect.stringMatching(/^backup: done by U0SECOND at \d{4}-/),
    expect.stringMatching(/^announce: N\/A by U0COMMS at .*\(No customers use the old site any more\)$/),
    'extra-check: left open (optional)',
  ]);
  const ticks = (await audit(run.id)).filter((a) => a.kind === 'tick');
  expect(ticks.map((a) => [a.user, a.note])).toEqual([['U0SECOND', 'backup: done'], ['U0COMMS', 'announce: N/A: No customers use the old site any more']]);
  // The thread message shows who ticked what, and no buttons are left.
  await waitUntil(() => bot.outbox.idle(), 5000, 'outbox');
  const msg = (await sys.slack.messages('C0CUTOVER')).find((m) => m.text.includes(run.id))!.replies.find((r) => r.ts === ts)!;
  const blocks = JSON.stringify(msg.blocks);
  expect(blocks).not.toContain('checklist_done');
  expect(blocks).toContain('<@U0SECOND>');
  expect(blocks).toContain('No customers use the old site any more');
});

it('checklist with note_required asks the lead for a note, in a dry run too', async () => {
  const { run, ts } = await startAndWait('signed', 'checklist_done', ' --dry-run');
  expect(run.dryRun).toBe(true);
  for (const item of ['backup', 'announce']) {
    await sys.slack.click({ user: 'U0LEAD', channel: 'C0CUTOVER', ts, action_id: 'checklist_done', block_id: `checklist_${item}` });
    const view = await sys.slack.waitFor(async (c) => (await c.openViews('U0LEAD'))[0], 5000);
    expect((await sys.slack.submitView({ user: 'U0LEAD', view_id: view.id, values: { checklist_note: { checklist_note_input: '  ' } } })).outcome).toBe('errors');
    expect((await sys.slack.submitView({ user: 'U0LEAD', view_id: view.id, values: { checklist_note: { checklist_note_input: `checked ${item} myself` } } })).outcome).toBe('closed');
    await untilRun(run.id, (r) => !!r.steps[0]!.approval!.ticks?.[item], `${item} ticked`);
  }
  const done = await untilRun(run.id, (r) => r.status === 'rehearsed', 'dry run rehearsed');
  expect(done.steps[0]!.outputs.items).toMatchObject({ backup: { by: 'U0LEAD', note: 'checked backup myself' }, announce: { by: 'U0LEAD', note: 'checked announce myself' } });
});

it('review: Hold keeps the step waiting, Send posts the draft as written; only the role may decide', async () => {
  const { run, ts } = await startAndWait('comms', 'review_send');
  // The role was pinged in the thread; the draft is on the step message, not posted yet.
  const thread = async () => (await sys.slack.messages('C0CUTOVER')).find((m) => m.text.includes(run.id))!.replies;
  await sys.slack.waitFor(async () => (await thread()).find((r) => /<@U0COMMS>.*waits for your review/.test(r.text)), 5000);
  expect((await thread()).some((r) => r.text.startsWith('We are live'))).toBe(false);

  await sys.slack.click({ user: 'U0LEAD', channel: 'C0CUTOVER', ts, action_id: 'review_send' });
  await ephemeral('U0LEAD', /Only \*?comms\*? may review/);
  expect((await get(run.id)).steps[0]!.status).toBe('awaiting_approval');

  await sys.slack.click({ user: 'U0COMMS', channel: 'C0CUTOVER', ts, action_id: 'review_hold' });
  await untilRun(run.id, (r) => (r.steps[0]!.approval!.holds?.length ?? 0) === 1, 'held');
  expect((await get(run.id)).steps[0]!.status).toBe('awaiting_approval');
  expect((await get(run.id)).status).toBe('running');

  await sys.slack.click({ user: 'U0COMMS', channel: 'C0CUTOVER', ts, action_id: 'review_send' });
  const done = await untilRun(run.id, (r) => r.status === 'succeeded', 'sent');
  expect(done.steps[0]!.outputs).toMatchObject({ text: 'We are live on the new site. Questions: <@U0LEAD>', reviewer: 'U0COMMS', edited: false });
  expect(done.steps[0]!.evidence).toEqual([
    expect.stringMatching(/^reviewed by U0COMMS at .*, sent as drafted$/),
    expect.stringMatching(/^held by U0COMMS at /),
    'sent text: We are live on the new site. Questions: <@U0LEAD>',
  ]);
  const posted = await sys.slack.waitFor(async () => (await thread()).find((r) => r.text.startsWith('We are live')), 5000);
  expect(posted.text).toBe('We are live on the new site. Questions: <@U0LEAD>');
  const kinds = (await audit(run.id)).filter((a) => a.step === 'announce' && isDecision(a)).map((a) => [a.kind, a.user, a.note]);
  expect(kinds).toEqual([
    ['denied', 'U0LEAD', expect.stringMatching(/^review: Only/)],
    ['review', 'U0COMMS', 'held'],
    ['review', 'U0COMMS', 'sent as drafted'],
  ]);
});

it('review: Edit opens the text in a modal and sends the edited version to the channel', async () => {
  const { run, ts } = await startAndWait('announce', 'review_edit');
  await sys.slack.click({ user: 'U0COMMS', channel: 'C0CUTOVER', ts, action_id: 'review_edit' });
  const view = await sys.slack.waitFor(async (c) => (await c.openViews('U0COMMS'))[0], 5000);
  expect(JSON.stringify(view)).toContain('We are live on the new site.');
  const res = await sys.slack.submitView({ user: 'U0COMMS', view_id: view.id, values: { review_text: { review_text_input: 'We are live! Ask @comms if anything looks odd.' } } });
  expect(res.outcome).toBe('closed');
  const done = await untilRun(run.id, (r) => r.status === 'succeeded', 'edited and sent');
  expect(done.steps[0]!.outputs).toMatchObject({ channel: 'C0ALERTS', text: 'We are live! Ask <@U0COMMS> if anything looks odd.', reviewer: 'U0COMMS', edited: true });
  const posted = await sys.slack.waitFor(async (c) => (await c.messages('C0ALERTS')).find((m) => m.text.startsWith('We are live!')), 5000);
  expect(posted.text).toBe('We are live! Ask <@U0COMMS> if anything looks odd.');
  expect((await sys.slack.messages('C0ALERTS')).some((m) => m.text.includes('We are live on the new site'))).toBe(false);
  expect((await audit(run.id)).find((a) => a.kind === 'review')).toMatchObject({ user: 'U0COMMS', note: 'edited and sent' });
});

it('checklist as an undo: the rollback waits until the owner confirms by hand that it is undone', async () => {
  const { run } = await startAndWait('by-hand', 'step_approve');
  expect(run.steps[1]!.status).toBe('awaiting_approval');
  await bot.engine.rollback(run.id, 'U0LEAD', 'rehearsing the manual undo');
  await untilRun(run.id, (r) => r.steps[0]!.status === 'undo_waiting', 'undo waits for a human');
  const msg = await sys.slack.waitFor(async (c) => (await c.messages('C0CUTOVER')).find((m) => m.text.includes(run.id))?.replies.find((r) => JSON.stringify(r.blocks).includes('checklist_schema-restored')), 10_000);
  expect(JSON.stringify(msg.blocks)).toContain('Undo checklist');
  // The rollback message points there and offers no one-click "Confirm undone" that would bypass the items.
  const rollbackMsg = await sys.slack.waitFor(async (c) => (await c.messages('C0CUTOVER')).find((m) => m.text.includes(run.id))?.replies.find((r) => /tick the checklist/.test(JSON.stringify(r.blocks))), 10_000);
  expect(JSON.stringify(rollbackMsg.blocks)).not.toContain('undo_confirm');
  const click = (user: string) => sys.slack.click({ user, channel: 'C0CUTOVER', ts: msg.ts, action_id: 'checklist_done', block_id: 'checklist_schema-restored' });
  await click('U0COMMS');
  await ephemeral('U0COMMS', /Only \*?dba\*? or the lead may tick "schema-restored"/);
  expect((await get(run.id)).status).toBe('rolling_back');
  await click('U0SECOND');
  const done = await untilRun(run.id, (r) => r.status === 'rolled_back', 'rolled back');
  expect(done.steps[0]!.undo).toMatchObject({ status: 'done', summary: 'Confirmed by hand: Checklist complete: 1 done, 0 N/A' });
  expect(done.steps[0]!.undo!.human!.ticks!['schema-restored']).toMatchObject({ user: 'U0SECOND', state: 'done' });
  // The decision is appended right after the write that applied it (after that write's transitions): wait for it.
  const ticks = await waitUntil(async () => { const t = (await audit(run.id)).filter((a) => a.kind === 'tick'); return t.length ? t : null; }, 5000, 'tick audited');
  expect(ticks.map((a) => [a.user, a.note])).toEqual([['U0SECOND', 'schema-restored: done']]);
});
