// A step's display name, with its `${{ vars.* }}` / `${{ run.* }}` resolved once when the run
// starts: the card says "Deploy v2.4.1", never "Deploy ${{ vars.version }}". Validation allows
// nothing else in a name (rules.ts), so no secret can reach the card this way.
import { interpolate, type Scope } from './expressions.js';

export function stepDisplayName(step: { id: string; name?: string }, vars: Scope['vars'], run: Scope['run']): string {
  if (!step.name) return step.id;
  if (!step.name.includes('${{')) return step.name;
  return String(interpolate(step.name, { vars, run, secrets: new Map(), steps: {} }));
}
