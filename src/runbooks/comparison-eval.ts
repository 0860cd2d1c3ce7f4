// Evaluates a parsed `that:` line (comparison.ts) and records every comparison it made with its
// left and right values: those are the evidence of an `assert` step.
//
// Values from outputs are often text ("0" from a shell `key=value` line): a string that reads as
// a number is a number. Ordering and arithmetic need numbers (or, for ordering, two strings).
import { ExpressionError } from './expressions.js';
import type { CNode } from './comparison.js';

export interface ComparisonRecord {
  /** The comparison as written, references shown without `${{ }}`. */
  text: string;
  op: string;
  left: unknown;
  right: unknown;
  ok: boolean;
}

const NUMERIC = /^\s*-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\s*$/;

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && NUMERIC.test(v)) return Number(v);
  return undefined;
}

export function showValue(v: unknown): string {
  if (typeof v === 'string') return asNumber(v) !== undefined ? v.trim() : JSON.stringify(v);
  if (v === undefined) return 'undefined';
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

/** The node as text (references without their `${{ }}`), for evidence and failure messages. */
export function showNode(n: CNode): string {
  switch (n.kind) {
    case 'lit':
      return typeof n.value === 'string' ? `'${n.value}'` : String(n.value);
    case 'ref':
      return n.body;
    case 'not':
    case 'neg':
      return `${n.kind === 'not' ? '!' : '-'}${side(n.operand, 6)}`;
    default:
      // Left-associative: a right operand of the same precedence needs its parentheses.
      return `${side(n.left, prec(n))} ${n.op} ${side(n.right, prec(n) + 1)}`;
  }
}
function prec(n: CNode): number {
  if (n.kind === 'logic') return n.op === '||' ? 1 : 2;
  if (n.kind === 'compare') return 3;
  if (n.kind === 'arith') return n.op === '+' || n.op === '-' ? 4 : 5;
  return 6;
}
const side = (n: CNode, min: number) => (prec(n) < min ? `(${showNode(n)})` : showNode(n));

function boolOf(v: unknown, n: CNode): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new ExpressionError(`${showNode(n)} is ${showValue(v)}, not true or false`);
}

function equal(a: unknown, b: unknown): boolean {
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== undefined && y !== undefined) return x === y;
  if (a === null || a === undefined || b === null || b === undefined) return a == null && b == null;
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return String(a) === String(b);
}

/** Evaluates `node`; `resolve` gives the value of a reference body. Comparisons go into `records`. */
export function evaluateComparison(node: CNode, resolve: (body: string) => unknown, records: ComparisonRecord[]): unknown {
  const ev = (n: CNode): unknown => evaluateComparison(n, resolve, records);
  switch (node.kind) {
    case 'lit':
      return node.value;
    case 'ref':
      return resolve(node.body);
    case 'not':
      return !boolOf(ev(node.operand), node.operand);
    case 'neg': {
      const v = asNumber(ev(node.operand));
      if (v === undefined) throw new ExpressionError(`${showNode(node.operand)} is not a number`);
      return -v;
    }
    case 'logic': {
      const left = boolOf(ev(node.left), node.left);
      if (node.op === '&&' ? !left : left) return left;
      return boolOf(ev(node.right), node.right);
    }
    case 'arith': {
      const l = ev(node.left);
      const r = ev(node.right);
      const [x, y] = [asNumber(l), asNumber(r)];
      if (x === undefined || y === undefined) {
        throw new ExpressionError(`${showNode(node)}: "${node.op}" needs numbers, got ${showValue(l)} and ${showValue(r)}`);
      }
      if (node.op === '/' && y === 0) throw new ExpressionError(`${showNode(node)}: division by zero`);
      return node.op === '+' ? x + y : node.op === '-' ? x - y : node.op === '*' ? x * y : x / y;
    }
    case 'compare': {
      const left = ev(node.left);
      const right = ev(node.right);
      let ok: boolean;
      if (node.op === '==' || node.op === '!=') ok = equal(left, right) === (node.op === '==');
      else {
        const [x, y] = [asNumber(left), asNumber(right)];
        const pair: [number, number] | [string, string] | undefined =
          x !== undefined && y !== undefined ? [x, y] : typeof left === 'string' && typeof right === 'string' ? [left, right] : undefined;
        if (!pair) throw new ExpressionError(`${showNode(node)}: cannot order ${showValue(left)} and ${showValue(right)}`);
        const [a, b] = pair;
        ok = node.op === '<' ? a < b : node.op === '<=' ? a <= b : node.op === '>' ? a > b : a >= b;
      }
      records.push({ text: showNode(node), op: node.op, left, right, ok });
      return ok;
    }
  }
}

/** Evaluates a whole `that:` line to true or false. */
export function checkLine(node: CNode, resolve: (body: string) => unknown, records: ComparisonRecord[]): boolean {
  return boolOf(evaluateComparison(node, resolve, records), node);
}
