// The one table of step types. A `uses:` not in this table is an error that lists what exists.
import { UnknownStepError } from '../errors.js';
import type { StepDefinition } from './define-step.js';
import { approval } from './approval.js';
import { assert } from './assert.js';
import { checklist } from './checklist.js';
import { tlsCheck } from './tls-check.js';
import { dnsCheck } from './dns-check.js';
import { githubChecks } from './github-checks.js';
import { githubMerge } from './github-merge.js';
import { githubPulls } from './github-pulls.js';
import { githubRef } from './github-ref.js';
import { githubWorkflow } from './github-workflow.js';
import { httpCheck } from './http-check.js';
import { httpRequest } from './http-request.js';
import { notify } from './notify.js';
import { shell } from './shell.js';
import { silence } from './silence.js';
import { unsilence } from './unsilence.js';
import { wait } from './wait.js';

const table: StepDefinition[] = [
  notify,
  shell,
  httpCheck,
  httpRequest,
  dnsCheck,
  approval,
  wait,
  silence,
  unsilence,
  assert,
  checklist,
  tlsCheck,
  githubMerge,
  githubRef,
  githubChecks,
  githubWorkflow,
  githubPulls,
];

export const stepRegistry: ReadonlyMap<string, StepDefinition> = buildRegistry(table);

export function buildRegistry(definitions: StepDefinition[]): ReadonlyMap<string, StepDefinition> {
  const map = new Map<string, StepDefinition>();
  for (const def of definitions) {
    if (map.has(def.id)) throw new Error(`duplicate step id "${def.id}" in the registry`);
    map.set(def.id, def);
  }
  return map;
}

export function findStep(uses: string): StepDefinition {
  const def = stepRegistry.get(uses);
  if (!def) throw new UnknownStepError(uses, [...stepRegistry.keys()]);
  return def;
}
