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

export function stepDocs(): string {
  const out = [
    '# Step reference',
    '',
    '<!-- Generated from src/steps/registry.ts by `npm run docs`; a test fails if this file drifts. -->',
    '',
    'Every step has the common fields `id`, `name`, `uses`, `with`, `undo`, `verify`, `timeout`, `retries`, `on_failure` and `if` (see the README). `with` takes the fields below.',
    '',
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
