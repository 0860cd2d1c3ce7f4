import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runbookJsonSchema } from '../../src/runbooks/json-schema.js';
import { stepRegistry } from '../../src/steps/registry.js';

const schema = runbookJsonSchema();
// zod reads JSON Schema back, which gives us a validator without another dependency.
const validator = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
const example = (): Record<string, any> => parse(readFileSync('examples/runbooks/restarters-go-live.yml', 'utf8'));

describe('runbook JSON Schema', () => {
  it('lists the step types for uses and refines with per type, in steps, undo and verify', () => {
    const step = (schema.properties as any).steps.items;
    const ids = [...stepRegistry.keys()];
    for (const call of [step, step.properties.undo, step.properties.verify]) {
      expect(call.properties.uses.enum).toEqual(ids);
      expect(call.oneOf.map((b: any) => b.properties.uses.const)).toEqual(ids);
      expect(call.oneOf.map((b: any) => b.properties.with.$ref)).toEqual(ids.map((id) => `#/$defs/with.${id}`));
    }
    expect((schema.$defs as any)['with.http.check'].required).toEqual(['url']);
  });

  it('accepts the example runbook', () => {
    expect(validator.safeParse(example()).success).toBe(true);
  });

  it('rejects a wrong type inside with, but accepts an expression there', () => {
    const runbook = example();
    runbook.steps[7].with.follow_redirects = 'yes';
    expect(validator.safeParse(runbook).success).toBe(false);
    runbook.steps[7].with.follow_redirects = '${{ vars.follow }}';
    expect(validator.safeParse(runbook).success).toBe(true);
  });

  it('rejects an unknown step type, an unknown field of a step type and a top-level typo', () => {
    const unknownType = example();
    unknownType.steps[0].uses = 'http.get';
    expect(validator.safeParse(unknownType).success).toBe(false);
    const unknownField = example();
    unknownField.steps[0].with.colour = 'red';
    expect(validator.safeParse(unknownField).success).toBe(false);
    const typo = example();
    typo.step = typo.steps;
    expect(validator.safeParse(typo).success).toBe(false);
  });
});
