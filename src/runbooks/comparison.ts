// The language of `assert`'s `that:` lines: numbers, strings, true/false/null, `${{ reference }}`,
// + - * / ! == != < <= > >= && || and parentheses. A tokenizer and a recursive-descent parser:
// nothing is ever executed (no eval, no Function). References are written `${{ … }}` so the
// runbook check (validate.ts) sees and checks them like any other expression.
import { ExpressionError, parseExpression } from './expressions.js';

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
type ArithOp = '+' | '-' | '*' | '/';

export type CNode =
  | { kind: 'lit'; value: string | number | boolean | null }
  | { kind: 'ref'; body: string }
  | { kind: 'not' | 'neg'; operand: CNode }
  | { kind: 'logic'; op: '&&' | '||'; left: CNode; right: CNode }
  | { kind: 'compare'; op: CompareOp; left: CNode; right: CNode }
  | { kind: 'arith'; op: ArithOp; left: CNode; right: CNode };

type Token = { kind: 'op'; op: string; pos: number } | { kind: 'lit'; value: string | number | boolean | null; pos: number } | { kind: 'ref'; body: string; pos: number };

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '+', '-', '*', '/', '(', ')'];
const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_][A-Za-z0-9_.-]*/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (text.startsWith('${{', i)) {
      const close = text.indexOf('}}', i + 3);
      if (close < 0) throw new ExpressionError(`"\${{" at column ${i + 1} has no closing "}}" in "${text}"`);
      const body = text.slice(i + 3, close).trim();
      parseExpression(body); // exactly one reference, of a known shape
      tokens.push({ kind: 'ref', body, pos: i });
      i = close + 2;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', op, pos: i });
      i += op.length;
      continue;
    }
    if (c === "'" || c === '"') {
      const close = text.indexOf(c, i + 1);
      if (close < 0) throw new ExpressionError(`unterminated string at column ${i + 1} in "${text}"`);
      tokens.push({ kind: 'lit', value: text.slice(i + 1, close), pos: i });
      i = close + 1;
      continue;
    }
    NUMBER.lastIndex = i;
    const num = NUMBER.exec(text);
    if (num) {
      tokens.push({ kind: 'lit', value: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(text)?.[0];
    if (word === 'true' || word === 'false' || word === 'null') {
      tokens.push({ kind: 'lit', value: word === 'null' ? null : word === 'true', pos: i });
      i += word.length;
      continue;
    }
    if (word) throw new ExpressionError(`"${word}" at column ${i + 1}: write references as \${{ ${word} }} in "${text}"`);
    throw new ExpressionError(`unexpected "${c}" at column ${i + 1} in "${text}"`);
  }
  return tokens;
}

/** Parses one `that:` line. Throws ExpressionError naming the column of the problem. */
export function parseComparison(text: string): CNode {
  if (!text.trim()) throw new ExpressionError('empty assertion');
  const tokens = tokenize(text);
  let at = 0;
  const isOp = (...ops: string[]): string | undefined => {
    const t = tokens[at];
    return t?.kind === 'op' && ops.includes(t.op) ? t.op : undefined;
  };
  const fail = (what: string): never => {
    const t = tokens[at];
    throw new ExpressionError(t ? `${what} at column ${t.pos + 1} in "${text}"` : `${what} at the end of "${text}"`);
  };
  const primary = (): CNode => {
    const t = tokens[at];
    if (isOp('(')) {
      at++;
      const inner = or();
      if (!isOp(')')) fail('expected ")"');
      at++;
      return inner;
    }
    if (t?.kind === 'lit') return at++, { kind: 'lit', value: t.value };
    if (t?.kind === 'ref') return at++, { kind: 'ref', body: t.body };
    return fail('expected a value');
  };
  const unary = (): CNode => {
    const op = isOp('!', '-');
    if (!op) return primary();
    at++;
    return { kind: op === '!' ? 'not' : 'neg', operand: unary() };
  };
  const arith = (ops: ArithOp[], next: () => CNode) => (): CNode => {
    let left = next();
    for (let op = isOp(...ops); op; op = isOp(...ops)) {
      at++;
      left = { kind: 'arith', op: op as ArithOp, left, right: next() };
    }
    return left;
  };
  const sum = arith(['+', '-'], arith(['*', '/'], unary));
  const compare = (): CNode => {
    const left = sum();
    const op = isOp('==', '!=', '<', '<=', '>', '>=');
    if (!op) return left;
    at++;
    const node: CNode = { kind: 'compare', op: op as CompareOp, left, right: sum() };
    if (isOp('==', '!=', '<', '<=', '>', '>=')) fail('chained comparison; use && between comparisons');
    return node;
  };
  const logic = (op: '&&' | '||', next: () => CNode) => (): CNode => {
    let left = next();
    while (isOp(op)) {
      at++;
      left = { kind: 'logic', op, left, right: next() };
    }
    return left;
  };
  const or = logic('||', logic('&&', compare));
  const node = or();
  if (at < tokens.length) fail('unexpected token');
  return node;
}
