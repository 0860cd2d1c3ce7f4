// A list of things people confirm by hand ("login works", "password-reset mail arrives"), each
// with an owner. The thread shows every item with Done / N/A buttons; only the owner or the lead
// may tick it, N/A needs a reason, and who ticked what and when is the step's evidence.
import { z } from 'zod';
import { createRedactor } from '../lib/redact.js';
import { Principal } from '../runbooks/schema.js';
import { defineStep } from './define-step.js';

const Item = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'use lowercase letters, digits and dashes').max(60),
  text: z.string().min(1).max(500),
  /** A role name or a Slack user id; the lead may always tick too. */
  owner: Principal,
  /** Optional items may stay open when the others are ticked. */
  required: z.boolean().default(true),
});

// 20 items keep the thread message under Slack's 50 blocks (two per item).
const Input = z
  .strictObject({
    items: z.array(Item).min(1).max(20).describe('each { id, text, owner (a role or user id), required (default true) }'),
    /** Every Done needs a written note (sign-off in writing). */
    note_required: z.boolean().default(false),
  })
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    input.items.forEach((item, i) => {
      if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: ['items', i, 'id'], message: `duplicate item id "${item.id}"` });
      seen.add(item.id);
    });
    if (!input.items.some((i) => i.required)) ctx.addIssue({ code: 'custom', path: ['items'], message: 'at least one item must be required' });
  });
type Input = z.output<typeof Input>;

export const checklist = defineStep<Input>({
  id: 'checklist',
  description:
    '`items: [{ id, text, owner, required }]` (owner: a role or user id; required: default true). Waits until every required item is ticked Done or N/A (with a reason) by its owner or the lead; `note_required` asks for a note with each Done. Who ticked what, and when, is the evidence. Works as an `undo` too ("confirm by hand that X is undone").',
  input: Input,
  // Asking again is harmless: the engine keeps the ticks.
  sideEffects: false,
  // Rehearsals ask for real: checking by hand is part of the practice.
  dryRun: 'run',
  examples: [
    {
      description: 'Pre-cutover checklist, signed off in writing',
      with: {
        note_required: true,
        items: [
          { id: 'backup', text: 'Full backup of the old database taken and restorable', owner: 'dba' },
          { id: 'comms-sent', text: 'Customers told about the maintenance window', owner: 'comms' },
          { id: 'rollback-plan', text: 'Rollback plan read by the on-call engineer', owner: 'engineering', required: false },
        ],
      },
    },
    {
      description: 'Manual smoke checks after the switch',
      with: {
        items: [
          { id: 'login', text: 'Log in with a test account', owner: 'engineering' },
          { id: 'password-reset', text: 'Password-reset mail arrives', owner: 'engineering' },
          { id: 'sso', text: 'SSO login from the partner portal', owner: 'lead' },
        ],
      },
    },
  ],
  describe: (input) =>
    `ask for ${input.items.length} item${input.items.length > 1 ? 's' : ''} to be ticked: ${input.items.map((i) => `${i.id} (${i.owner}${i.required ? '' : ', optional'})`).join(', ')}`,
  async execute(ctx) {
    const redact = createRedactor(ctx.secrets.values());
    const items = ctx.input.items.map((i) => ({ ...i, text: redact(i.text) }));
    return ctx.awaitApproval({
      prompt: `Checklist: ${items.length} item${items.length > 1 ? 's' : ''}`,
      approvers: [...new Set([...items.map((i) => i.owner), 'lead'])],
      min: 1,
      allowSelf: true,
      checklist: { items, noteRequired: ctx.input.note_required },
    });
  },
});
