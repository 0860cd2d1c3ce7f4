// The runbook format as JSON Schema, generated from the zod schemas, for editor autocompletion
// (`tzero schema > runbook.schema.json`, then `# yaml-language-server: $schema=runbook.schema.json`).
// Each step's `with` is refined by its `uses`.
import { z } from 'zod';
import type { StepDefinition } from '../steps/define-step.js';
import { stepRegistry } from '../steps/registry.js';
import { Runbook } from './schema.js';

type JsonSchema = Record<string, unknown>;

/** A value written as one `${{ … }}` expression: its type is known only when the run evaluates it. */
const EXPRESSION: JsonSchema = {
  type: 'string',
  pattern: '^\\s*\\$\\{\\{.*\\}\\}\\s*$',
  description: 'a ${{ … }} expression',
};

export function runbookJsonSchema(registry: ReadonlyMap<string, StepDefinition> = stepRegistry): JsonSchema {
  const root = toJson(Runbook);
  const defs: Record<string, JsonSchema> = {};
  const refinements = [...registry.values()].map((def) => {
    const name = `with.${def.id}`;
    const { $defs, ...input } = toJson(def.input) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    for (const [key, sub] of Object.entries($defs ?? {})) defs[`${name}.${key}`] = retarget(sub, name);
    defs[name] = acceptExpressions(retarget(input, name));
    return {
      if: { properties: { uses: { const: def.id } }, required: ['uses'] },
      then: { properties: { uses: { const: def.id, description: def.description }, with: { $ref: `#/$defs/${name}` } } },
    };
  });
  const ids = [...registry.keys()];
  const refineCall = (call: JsonSchema): void => {
    const properties = call.properties as Record<string, JsonSchema>;
    properties.uses = { ...properties.uses, enum: ids, description: 'the step type' };
    call.allOf = refinements;
  };
  const step = at(root, 'properties', 'steps', 'items');
  refineCall(step);
  refineCall(at(step, 'properties', 'undo'));
  refineCall(at(step, 'properties', 'verify'));
  return { ...root, title: 'tzero runbook (format v1)', $defs: { ...(root.$defs as object | undefined), ...defs } };
}

function toJson(schema: z.ZodType): JsonSchema {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return json;
}

function at(schema: JsonSchema, ...keys: string[]): JsonSchema {
  let node: unknown = schema;
  for (const key of keys) node = (node as JsonSchema)[key];
  if (!node || typeof node !== 'object') throw new Error(`runbook JSON Schema has no ${keys.join('.')}`);
  return node as JsonSchema;
}

/** A step schema's own `#/$defs/x` references, moved under the runbook's `$defs`. */
function retarget(schema: JsonSchema, prefix: string): JsonSchema {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/$defs/', `"#/$defs/${prefix}.`)) as JsonSchema;
}

/** Numbers and booleans may also be written as an expression (`port: ${{ vars.port }}`). */
function acceptExpressions(node: unknown): JsonSchema {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object') return v;
    const out = Object.fromEntries(Object.entries(v).map(([k, child]) => [k, walk(child)])) as JsonSchema;
    const types = ([] as unknown[]).concat(out.type ?? []);
    const scalar = types.some((t) => t === 'number' || t === 'integer' || t === 'boolean');
    return scalar && !types.includes('string') ? { anyOf: [out, EXPRESSION] } : out;
  };
  return walk(node) as JsonSchema;
}
