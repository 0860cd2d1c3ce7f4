// The runbook format as JSON Schema, generated from the zod schemas, for editor autocompletion
// (`tzero schema > runbook.schema.json`, then `# yaml-language-server: $schema=runbook.schema.json`).
// Each step's `with` is refined by its `uses` (`oneOf`, one branch per step type, told apart by
// the `uses` const).
import { z } from 'zod';
import type { StepDefinition } from '../steps/define-step.js';
import { stepRegistry } from '../steps/registry.js';
import { Runbook } from './schema.js';

type JsonSchema = Record<string, unknown>;

/** A value with `${{ … }}` in it: what it stands for is known only when the run evaluates it. */
const EXPRESSION: JsonSchema = {
  type: 'string',
  pattern: '\\$\\{\\{.*\\}\\}',
  description: 'text with ${{ … }} expressions',
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
      type: 'object',
      properties: { uses: { const: def.id, description: def.description }, with: { $ref: `#/$defs/${name}` } },
      required: ['uses'],
    };
  });
  const ids = [...registry.keys()];
  const refineCall = (call: JsonSchema): void => {
    const properties = call.properties as Record<string, JsonSchema>;
    properties.uses = { ...properties.uses, enum: ids, description: 'the step type' };
    call.oneOf = refinements;
  };
  const step = at(root, 'properties', 'steps', 'items');
  refineCall(step);
  refineCall(at(step, 'properties', 'undo'));
  refineCall(at(step, 'properties', 'verify'));
  const later = at(root, 'properties', 'after_window', 'items');
  for (const call of [later, at(later, 'properties', 'undo'), at(later, 'properties', 'verify')]) refineCall(call);
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

/**
 * Inside `with`, any value may also be written as one expression (`port: ${{ vars.port }}`,
 * `channel: ${{ vars.coordinators }}`): every constrained value also accepts an expression.
 */
function acceptExpressions(withSchema: JsonSchema): JsonSchema {
  const schemaMap = (map: unknown): unknown =>
    map && typeof map === 'object' ? Object.fromEntries(Object.entries(map).map(([k, v]) => [k, value(v)])) : map;
  // The node itself (not wrapped): recurse into its sub-schemas.
  const inner = (node: JsonSchema): JsonSchema => {
    const out: JsonSchema = { ...node };
    if (out.properties) out.properties = schemaMap(out.properties);
    if (out.additionalProperties && typeof out.additionalProperties === 'object') out.additionalProperties = value(out.additionalProperties);
    if (out.items) out.items = value(out.items);
    for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const) {
      if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).map((v) => inner(v as JsonSchema));
    }
    return out;
  };
  // A value position: the schema, or an expression standing for it.
  const value = (v: unknown): unknown => {
    if (!v || typeof v !== 'object') return v;
    const node = inner(v as JsonSchema);
    const plainString = node.type === 'string' && !('pattern' in node || 'format' in node || 'enum' in node || 'const' in node || 'minLength' in node);
    const constrained = 'type' in node || 'enum' in node || 'const' in node || 'anyOf' in node || 'oneOf' in node;
    return constrained && !plainString ? { anyOf: [node, EXPRESSION] } : node;
  };
  return inner(withSchema);
}
