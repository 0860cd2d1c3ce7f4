// `${{ … }}` expressions in runbooks. A small tokenizer and recursive-descent parser: values are
// looked up, never executed (no eval, no Function). Values are substituted once: a variable whose
// value looks like `${{ … }}` stays data.
//
// Value expressions (inside `with`) are one reference:
//   vars.X · secrets.X · steps.<id>.outputs.<key>[.<key>…] · run.id · run.dry_run · run.started_by
// Conditions (`if:`) add literals ('text', "text", 42, true, false, null), == != && || ! and ( ).
import { InvalidRunbookError } from '../errors.js';

/** An expression that does not parse, or names something that does not exist. */
export class ExpressionError extends InvalidRunbookError {
  constructor(message: string) {
    super(message, [message]);
  }
}

export interface Scope {
  vars: Readonly<Record<string, unknown>>;
  secrets: ReadonlyMap<string, string>;
  steps: Readonly<Record<string, { outputs: Record<string, unknown> }>>;
  run: { id: string; dry_run: boolean; started_by: string };
}

export interface KnownNames {
  vars: Iterable<string>;
  secrets: Iterable<string>;
  /** Ids of the steps that run before this expression is evaluated. */
  priorSteps: Iterable<string>;
}

export interface FoundExpression {
  /** Offset of `$` in `${{`. */
  start: number;
  /** Offset just past `}}`. */
  end: number;
  /** The text between `${{` and `}}`, trimmed. */
  body: string;
}

export const RUN_FIELDS = ['id', 'dry_run', 'started_by'] as const;
const ROOTS = ['vars', 'secrets', 'steps', 'run'];

// ---------------------------------------------------------------- finding expressions in text

/** Every `${{ … }}` in `text`, in order. Throws on a `${{` without its `}}`. */
export function findExpressions(text: string): FoundExpression[] {
  const found: FoundExpression[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf('${{', from);
    if (start < 0) return found;
    let i = start + 3;
    let quote: string | null = null;
    while (i < text.length) {
      const c = text[i]!;
      if (quote) {
        if (c === quote) quote = null;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '}' && text[i + 1] === '}') break;
      i++;
    }
    if (i >= text.length) throw new ExpressionError(`"\${{" at offset ${start} has no closing "}}"`);
    found.push({ start, end: i + 2, body: text.slice(start + 3, i).trim() });
    from = i + 2;
  }
}

/** The body of a text that is exactly one `${{ … }}`, else null. */
export function soleExpression(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('${{')) return null;
  const found = findExpressions(trimmed);
  return found.length === 1 && found[0]!.start === 0 && found[0]!.end === trimmed.length ? found[0]!.body : null;
}

// ---------------------------------------------------------------- tokenizer

type Token =
  | { kind: 'ref'; path: string[]; pos: number }
  | { kind: 'lit'; value: string | number | boolean | null; pos: number }
  | { kind: 'op'; op: '==' | '!=' | '&&' | '||' | '!' | '(' | ')'; pos: number };

const SEGMENT = /[A-Za-z_][A-Za-z0-9_-]*/y;
const NUMBER = /-?\d+(?:\.\d+)?/y;

function tokenize(body: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = body.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '&&' || two === '||') {
      tokens.push({ kind: 'op', op: two, pos: i });
      i += 2;
      continue;
    }
    if (c === '!' || c === '(' || c === ')') {
      tokens.push({ kind: 'op', op: c, pos: i });
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      const close = body.indexOf(c, i + 1);
      if (close < 0) throw new ExpressionError(`unterminated string at column ${i + 1} in "${body}"`);
      tokens.push({ kind: 'lit', value: body.slice(i + 1, close), pos: i });
      i = close + 1;
      continue;
    }
    NUMBER.lastIndex = i;
    const num = NUMBER.exec(body);
    if (num) {
      tokens.push({ kind: 'lit', value: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    SEGMENT.lastIndex = i;
    const seg = SEGMENT.exec(body);
    if (seg) {
      const pos = i;
      const path = [seg[0]];
      i += seg[0].length;
      while (body[i] === '.') {
        SEGMENT.lastIndex = i + 1;
        const next = SEGMENT.exec(body);
        if (!next) throw new ExpressionError(`expected a name after "." at column ${i + 2} in "${body}"`);
        path.push(next[0]);
        i += 1 + next[0].length;
      }
      const word = path.length === 1 ? path[0] : undefined;
      if (word === 'true' || word === 'false') tokens.push({ kind: 'lit', value: word === 'true', pos });
      else if (word === 'null') tokens.push({ kind: 'lit', value: null, pos });
      else tokens.push({ kind: 'ref', path, pos });
      continue;
    }
    throw new ExpressionError(`unexpected "${c}" at column ${i + 1} in "${body}"`);
  }
  return tokens;
}

// ---------------------------------------------------------------- parser

export type Node =
  | { kind: 'ref'; path: string[] }
  | { kind: 'lit'; value: string | number | boolean | null }
  | { kind: 'not'; operand: Node }
  | { kind: 'binary'; op: '==' | '!=' | '&&' | '||'; left: Node; right: Node };

/**
 * Parses an expression body. `condition: false` (value expressions) accepts exactly one reference;
 * `condition: true` accepts the full `if:` grammar.
 */
export function parseExpression(body: string, options: { condition?: boolean } = {}): Node {
  if (!body.trim()) throw new ExpressionError('empty expression');
  const tokens = tokenize(body);
  if (!options.condition) {
    const [only] = tokens;
    if (tokens.length !== 1 || only!.kind !== 'ref') {
      throw new ExpressionError(`"${body}" is not a reference (use e.g. vars.name, secrets.NAME, steps.<id>.outputs.<key>)`);
    }
    return checkShape({ kind: 'ref', path: only.path });
  }
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const isOp = (op: string): boolean => {
    const t = peek();
    return t?.kind === 'op' && t.op === op;
  };
  const fail = (what: string): never => {
    const t = peek();
    throw new ExpressionError(
      t ? `${what} at column ${t.pos + 1} in "${body}"` : `${what} at the end of "${body}"`,
    );
  };
  const binary = (ops: readonly ('==' | '!=' | '&&' | '||')[], next: () => Node) => (): Node => {
    let left = next();
    for (;;) {
      const op = ops.find(isOp);
      if (!op) return left;
      at++;
      left = { kind: 'binary', op, left, right: next() };
    }
  };
  const unary = (): Node => {
    if (isOp('!')) {
      at++;
      return { kind: 'not', operand: unary() };
    }
    if (isOp('(')) {
      at++;
      const inner = or();
      if (!isOp(')')) fail('expected ")"');
      at++;
      return inner;
    }
    const t = peek();
    if (t?.kind === 'lit') {
      at++;
      return { kind: 'lit', value: t.value };
    }
    if (t?.kind === 'ref') {
      at++;
      return checkShape({ kind: 'ref', path: t.path });
    }
    return fail('expected a value');
  };
  const equality = binary(['==', '!='], unary);
  const and = binary(['&&'], equality);
  const or = binary(['||'], and);
  const node = or();
  if (at < tokens.length) fail('unexpected token');
  return node;
}

/** References must have one of the known shapes, whatever the scope. */
function checkShape(node: { kind: 'ref'; path: string[] }): Node {
  const [root, name, third, fourth] = node.path;
  const text = node.path.join('.');
  if (!ROOTS.includes(root!)) {
    throw new ExpressionError(`unknown name "${root}" in "${text}" (use vars., secrets., steps. or run.)`);
  }
  if (root === 'steps') {
    if (!name || third !== 'outputs' || !fourth) {
      throw new ExpressionError(`"${text}" should read steps.<id>.outputs.<key>`);
    }
  } else if (node.path.length !== 2) {
    throw new ExpressionError(`"${text}" should read ${root}.<name>`);
  } else if (root === 'run' && !(RUN_FIELDS as readonly string[]).includes(name!)) {
    throw new ExpressionError(`unknown "${text}" (run has ${RUN_FIELDS.join(', ')})`);
  }
  return node;
}

/** Every reference in a parsed expression. */
export function references(node: Node): string[][] {
  switch (node.kind) {
    case 'ref':
      return [node.path];
    case 'lit':
      return [];
    case 'not':
      return references(node.operand);
    case 'binary':
      return [...references(node.left), ...references(node.right)];
  }
}

// ---------------------------------------------------------------- static check

/**
 * Checks an expression against the names a runbook declares. Returns the problem as text, or null.
 * `condition: true` for `if:` (which may be written with or without `${{ }}`).
 */
export function checkExpression(body: string, known: KnownNames, options: { condition?: boolean } = {}): string | null {
  try {
    const node = parseExpression(options.condition ? conditionBody(body) : body, options);
    const vars = new Set(known.vars);
    const secrets = new Set(known.secrets);
    const prior = [...known.priorSteps];
    for (const [root, name] of references(node)) {
      if (root === 'vars' && !vars.has(name!)) {
        return `unknown variable "vars.${name}" (declared: ${list(vars)})`;
      }
      if (root === 'secrets' && !secrets.has(name!)) {
        return `secret "${name}" is not declared in secrets: (declared: ${list(secrets)})`;
      }
      if (root === 'steps' && !prior.includes(name!)) {
        return `"steps.${name}" is not an earlier step (earlier: ${list(prior)})`;
      }
    }
    return null;
  } catch (err) {
    if (err instanceof ExpressionError) return err.message;
    throw err;
  }
}

function list(names: Iterable<string>): string {
  const all = [...names];
  return all.length ? all.join(', ') : 'none';
}

// ---------------------------------------------------------------- evaluation

/** Evaluates a value expression body (one reference) against the run's scope. */
export function evaluate(body: string, scope: Scope): unknown {
  return evalNode(parseExpression(body), scope);
}

/** Evaluates an `if:` condition, written with or without `${{ }}`. */
export function evaluateCondition(expression: string, scope: Scope): boolean {
  return truthy(evalNode(parseExpression(conditionBody(expression), { condition: true }), scope));
}

/** `if:` text without its optional `${{ }}` wrapper. */
export function conditionBody(expression: string): string {
  const sole = soleExpression(expression);
  if (sole !== null) return sole;
  if (expression.includes('${{')) {
    throw new ExpressionError(`write the whole condition as one expression, with or without \${{ }}: "${expression}"`);
  }
  return expression;
}

function evalNode(node: Node, scope: Scope): unknown {
  switch (node.kind) {
    case 'lit':
      return node.value;
    case 'not':
      return !truthy(evalNode(node.operand, scope));
    case 'binary': {
      const left = evalNode(node.left, scope);
      if (node.op === '&&') return truthy(left) ? evalNode(node.right, scope) : left;
      if (node.op === '||') return truthy(left) ? left : evalNode(node.right, scope);
      const same = looseEqual(left, evalNode(node.right, scope));
      return node.op === '==' ? same : !same;
    }
    case 'ref':
      return lookup(node.path, scope);
  }
}

function lookup(path: string[], scope: Scope): unknown {
  const [root, name, , key, ...rest] = path;
  const text = path.join('.');
  switch (root) {
    case 'vars':
      if (!Object.hasOwn(scope.vars, name!)) throw new ExpressionError(`unknown variable "${text}"`);
      return scope.vars[name!];
    case 'secrets': {
      const value = scope.secrets.get(name!);
      if (value === undefined) throw new ExpressionError(`secret "${name}" is not set`);
      return value;
    }
    case 'run':
      return scope.run[name as (typeof RUN_FIELDS)[number]];
    default: {
      if (!Object.hasOwn(scope.steps, name!)) throw new ExpressionError(`"${text}": step "${name}" has not run`);
      const outputs = scope.steps[name!]!.outputs;
      if (!Object.hasOwn(outputs, key!)) {
        throw new ExpressionError(`"${text}": step "${name}" has no output "${key}" (outputs: ${list(Object.keys(outputs))})`);
      }
      let value: unknown = outputs[key!];
      for (const [i, part] of rest.entries()) {
        if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) {
          throw new ExpressionError(`"${text}": no "${part}" in steps.${name}.outputs.${[key, ...rest.slice(0, i)].join('.')}`);
        }
        value = (value as Record<string, unknown>)[part];
      }
      return value;
    }
  }
}

export function truthy(value: unknown): boolean {
  return !(value === false || value === null || value === undefined || value === 0 || value === '' || Number.isNaN(value));
}

/** Same type: strict equality. Different primitive types: compare their text (`200 == '200'`). */
function looseEqual(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return a == null && b == null;
  if (typeof a === typeof b) return typeof a === 'object' ? JSON.stringify(a) === JSON.stringify(b) : a === b;
  if (typeof a === 'object' || typeof b === 'object') return false;
  return String(a) === String(b);
}

// ---------------------------------------------------------------- interpolation

/** Gives the value of one expression body; `sole` when it is the whole string. */
export type Resolver = (body: string, where: { path: readonly PropertyKey[]; sole: boolean }) => unknown;

/**
 * Replaces every `${{ … }}` in strings, deeply through objects and arrays. A string that is exactly
 * one expression takes the value's type; otherwise the values are joined into the text.
 * `skipFields`: top-level keys left as written (a step's `rawFields`, which it resolves itself).
 */
export function interpolate<T>(value: T, scope: Scope, options: { skipFields?: readonly string[] } = {}): T {
  return mapExpressions(value, (body) => evaluate(body, scope), options);
}

/** `interpolate` with any resolver (validation substitutes placeholders for runtime values). */
export function mapExpressions<T>(value: T, resolve: Resolver, options: { skipFields?: readonly string[] } = {}): T {
  const skip = new Set(options.skipFields ?? []);
  const walk = (v: unknown, path: PropertyKey[]): unknown => {
    if (typeof v === 'string') return mapString(v, (body, sole) => resolve(body, { path, sole }));
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...path, i]));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v).map(([k, item]) => [k, path.length === 0 && skip.has(k) ? item : walk(item, [...path, k])]),
      );
    }
    return v;
  };
  return walk(value, []) as T;
}

function mapString(text: string, resolve: (body: string, sole: boolean) => unknown): unknown {
  const found = findExpressions(text);
  if (!found.length) return text;
  if (found.length === 1 && found[0]!.start === 0 && found[0]!.end === text.length) return resolve(found[0]!.body, true);
  let out = '';
  let from = 0;
  for (const expr of found) {
    out += text.slice(from, expr.start) + asText(resolve(expr.body, false));
    from = expr.end;
  }
  return out + text.slice(from);
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
