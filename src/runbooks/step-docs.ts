// The step reference (docs/steps.md), generated from the registry so it cannot drift:
// test/runbooks/step-docs.test.ts fails when the committed file differs from this output.
import { z } from 'zod';
import { stringify } from 'yaml';
import { stepRegistry } from '../steps/registry.js';
import type { StepDefinition } from '../steps/define-step.js';

type Prop = { type?: string | string[]; default?: unknown; description?: string; enum?: unknown[]; anyOf?: Prop[]; items?: Prop };

function typeOf(p: Prop): string {
  if (p.enum) return p.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (p.anyOf) return p.anyOf.map(typeOf).join(' or ');
  if (p.type === 'array') return `list of ${p.items ? typeOf(p.items) : 'values'}`;
  return Array.isArray(p.type) ? p.type.join(' or ') : (p.type ?? 'any');
}

/** How a step treats the `${{ }}` of its raw fields. */
const RAW_NOTE: Record<string, string> = {
  shell: '`${{ }}` passed as environment variables, never spliced',
  assert: '`${{ }}` read as values when the step runs, never spliced into the expression',
};

function fields(def: StepDefinition): string[] {
  const schema = z.toJSONSchema(def.input, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, Prop>; required?: string[] };
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, p]) => {
    const dflt = p.default !== undefined ? ` (default \`${JSON.stringify(p.default)}\`)` : '';
    const raw = def.rawFields?.includes(name) ? ` — ${RAW_NOTE[def.id] ?? '`${{ }}` resolved by the step itself, never spliced into text'}` : '';
    return `| \`${name}\` | ${typeOf(p)} | ${required.has(name) ? 'yes' : 'no'}${dflt}${raw} |`;
  });
}

function dryRunText(def: StepDefinition): string {
  if (typeof def.dryRun === 'function') return 'depends on the input: runs for real where harmless (e.g. in the run thread), else reports what it would do';
  return def.dryRun === 'run' ? 'runs for real' : 'reports what it would do';
}

// Rehearsal fields (issue 6 §3): common to every step type, so documented once.
const REHEARSAL_FIELDS = [
  '## Rehearsal fields (any step)',
  '',
  'A dry run (`/cutover start <runbook> --dry-run`) rehearses the runbook. Each step type has a default ("Dry run" below); these fields change it per step, and live runs ignore them:',
  '',
  '| field | meaning |',
  '|---|---|',
  "| `dry_run: run \\| describe` | `run`: runs for real in a dry run (read-only commands such as `jq -e …` or `SELECT count(*)`); `describe`: only says what it would do. Overrides the step type's default. |",
  '| `dry_run_outputs: {key: value}` | the outputs a described step would have produced (values may use `${{ }}`), so later steps and expressions work in a dry run |',
  '| `needs_effect_of: <step-id>` (or a list) | this step checks the side effect of an earlier step; in a dry run where that step did not run for real, this step is shown as "not rehearsed: depends on <step-id>", not failed |',
  '',
  'A step whose `if` is false only because of the dry run (`if: "!run.dry_run"`) is also shown as "not rehearsed", and so is a step that reads an output a described step did not give (no `dry_run_outputs`). Previews show the resolved command with secrets masked (would run `ansible-playbook -i inventory/production maintenance.yml`), never `${{ vars.bin }}`. A dry run ends "rehearsed: N ran, N described, N not rehearsed, N skipped by hand", never "succeeded", and never holds or waits for the runbook\'s lock.',
  '',
];

export function stepDocs(): string {
  const out = [
    '# Step reference',
    '',
    '<!-- Generated from src/steps/registry.ts by `npm run docs`; a test fails if this file drifts. -->',
    '',
    'Every step has the common fields `id`, `name`, `uses`, `with`, `undo`, `verify`, `timeout`, `retries`, `on_failure` and `if`, and the timeline fields `at` (T-7d … T+180d), `owner`, `remind` and `phase`; steps may also sit in the top-level `after_window` list (see the README). `with` takes the fields below.',
    '',
    ...REHEARSAL_FIELDS,
  ];
  for (const def of stepRegistry.values()) {
    out.push(`## \`${def.id}\``, '', def.description, '');
    out.push(`- Side effects: ${def.sideEffects ? 'yes — after a crash mid-step it is verified or put to a human, never re-run silently' : 'no — re-run after a crash'}`);
    out.push(`- Dry run: ${dryRunText(def)}`, '');
    out.push('| field | type | required |', '|---|---|---|', ...fields(def), '');
    for (const ex of def.examples) {
      out.push(`Example — ${ex.description}:`, '', '```yaml', stringify([{ id: 'example', uses: def.id, with: ex.with }]).trim(), '```', '');
    }
  }
  return out.join('\n');
}
