import { describe, expect, it } from 'vitest';
import {
  checkExpression,
  evaluate,
  evaluateCondition,
  ExpressionError,
  findExpressions,
  interpolate,
  parseExpression,
  type Scope,
} from '../../src/runbooks/expressions.js';

const scope: Scope = {
  vars: { domain: 'restarters.net', port: 443, enabled: true, sneaky: '${{ secrets.DNS_TOKEN }}', quote: `'; rm -rf / #` },
  secrets: new Map([['DNS_TOKEN', 's3cret']]),
  steps: { 'final-sync': { outputs: { rows: 1200, status: '200', meta: { region: 'lhr' } } } },
  run: { id: 'r42', dry_run: false, started_by: 'U0LEAD' },
};
const known = { vars: ['domain', 'port'], secrets: ['DNS_TOKEN'], priorSteps: ['announce', 'final-sync'] };

describe('findExpressions', () => {
  it('finds each ${{ }} with its offsets and trimmed body', () => {
    const text = 'https://${{ vars.domain }}/x?t=${{secrets.DNS_TOKEN}}';
    expect(findExpressions(text)).toEqual([
      { start: 8, end: 26, body: 'vars.domain' },
      { start: 31, end: 53, body: 'secrets.DNS_TOKEN' },
    ]);
    expect(text.slice(8, 26)).toBe('${{ vars.domain }}');
  });

  it('does not end an expression at }} inside a quoted string', () => {
    expect(findExpressions("${{ vars.a == '}}' }}!")).toEqual([{ start: 0, end: 21, body: "vars.a == '}}'" }]);
  });

  it('returns nothing for plain text and throws on an unterminated ${{', () => {
    expect(findExpressions('no expressions, just $HOME and {{ mustache }}')).toEqual([]);
    expect(() => findExpressions('a ${{ vars.domain')).toThrow(/no closing "}}"/);
  });
});

describe('parseExpression', () => {
  it('parses conditions with precedence: ! over == over && over ||', () => {
    expect(parseExpression("!run.dry_run && vars.a == 'x' || vars.b", { condition: true })).toEqual({
      kind: 'binary',
      op: '||',
      left: {
        kind: 'binary',
        op: '&&',
        left: { kind: 'not', operand: { kind: 'ref', path: ['run', 'dry_run'] } },
        right: { kind: 'binary', op: '==', left: { kind: 'ref', path: ['vars', 'a'] }, right: { kind: 'lit', value: 'x' } },
      },
      right: { kind: 'ref', path: ['vars', 'b'] },
    });
  });

  it('accepts step ids with dashes', () => {
    expect(parseExpression('steps.final-sync.outputs.rows')).toEqual({ kind: 'ref', path: ['steps', 'final-sync', 'outputs', 'rows'] });
  });

  it('accepts only one reference in a value expression', () => {
    expect(() => parseExpression("vars.a == 'x'")).toThrow(/is not a reference/);
    expect(() => parseExpression("'literal'")).toThrow(/is not a reference/);
  });

  it.each([
    ['vars.a ==', /expected a value at the end/],
    ['(vars.a', /expected "\)"/],
    ['vars.a vars.b', /unexpected token at column 8/],
    ["vars.a == 'open", /unterminated string/],
    ['vars.a + 1', /unexpected "\+" at column 8/],
    ['process.env.HOME', /unknown name "process"/],
    ['steps.sync.rows', /steps\.<id>\.outputs\.<key>/],
    ['run.token', /unknown "run.token"/],
    ['vars.a.b', /should read vars\.<name>/],
    ['', /empty expression/],
  ])('rejects %j', (body, message) => {
    expect(() => parseExpression(body, { condition: true })).toThrow(message);
    expect(() => parseExpression(body, { condition: true })).toThrow(ExpressionError);
  });
});

describe('evaluate', () => {
  it('looks up every kind of reference, keeping the type', () => {
    expect(evaluate('vars.port', scope)).toBe(443);
    expect(evaluate('secrets.DNS_TOKEN', scope)).toBe('s3cret');
    expect(evaluate('steps.final-sync.outputs.rows', scope)).toBe(1200);
    expect(evaluate('steps.final-sync.outputs.meta.region', scope)).toBe('lhr');
    expect(evaluate('run.id', scope)).toBe('r42');
    expect(evaluate('run.dry_run', scope)).toBe(false);
    expect(evaluate('run.started_by', scope)).toBe('U0LEAD');
  });

  it('throws a clear error for what is not there at run time', () => {
    expect(() => evaluate('vars.nope', scope)).toThrow('unknown variable "vars.nope"');
    expect(() => evaluate('secrets.NOPE', scope)).toThrow('secret "NOPE" is not set');
    expect(() => evaluate('steps.later.outputs.x', scope)).toThrow('step "later" has not run');
    expect(() => evaluate('steps.final-sync.outputs.nope', scope)).toThrow('has no output "nope" (outputs: rows, status, meta)');
    expect(() => evaluate('steps.final-sync.outputs.meta.zone', scope)).toThrow('no "zone" in steps.final-sync.outputs.meta');
  });

  it('does not reach through the prototype chain', () => {
    expect(() => evaluate('vars.constructor', scope)).toThrow('unknown variable');
    expect(() => evaluate('steps.final-sync.outputs.toString', scope)).toThrow('has no output "toString"');
  });
});

describe('evaluateCondition', () => {
  it.each([
    ['run.dry_run', false],
    ['!run.dry_run', true],
    ['${{ !run.dry_run }}', true],
    ["vars.domain == 'restarters.net'", true],
    ['vars.domain == "restarters.net"', true],
    ["vars.domain != 'restarters.net'", false],
    ['vars.port == 443', true],
    ["steps.final-sync.outputs.status == 200", true],
    ["steps.final-sync.outputs.rows == '1200'", true],
    ['vars.enabled == true', true],
    ["vars.enabled == 'yes'", false],
    ['run.dry_run || vars.port == 80', false],
    ['(run.dry_run || vars.enabled) && !(vars.port == 80)', true],
    ['vars.quote', true],
    ['null == vars.enabled', false],
  ])('%s -> %s', (expr, result) => {
    expect(evaluateCondition(expr, scope)).toBe(result);
  });

  it('short-circuits: the right side of a decided && / || is not evaluated', () => {
    expect(evaluateCondition('run.dry_run && vars.nope', scope)).toBe(false);
    expect(evaluateCondition('vars.enabled || vars.nope', scope)).toBe(true);
    expect(() => evaluateCondition('vars.enabled && vars.nope', scope)).toThrow('unknown variable "vars.nope"');
  });

  it('refuses a condition mixing text and ${{ }}', () => {
    expect(() => evaluateCondition('${{ vars.a }} == x', scope)).toThrow(/one expression/);
  });
});

describe('interpolate', () => {
  it('keeps the type of a string that is exactly one expression, joins text otherwise', () => {
    const out = interpolate(
      { port: '${{ vars.port }}', url: 'https://${{ vars.domain }}:${{ vars.port }}/', list: ['${{ run.dry_run }}', 'rows=${{ steps.final-sync.outputs.rows }}'], n: 3, nil: null },
      scope,
    );
    expect(out).toEqual({ port: 443, url: 'https://restarters.net:443/', list: [false, 'rows=1200'], n: 3, nil: null });
  });

  it('joins objects as JSON', () => {
    expect(interpolate('meta=${{ steps.final-sync.outputs.meta }}', scope)).toBe('meta={"region":"lhr"}');
  });

  it('leaves skipFields as written, at the top level only', () => {
    const out = interpolate({ run: 'echo ${{ vars.domain }}', env: { run: '${{ vars.domain }}' } }, scope, { skipFields: ['run'] });
    expect(out).toEqual({ run: 'echo ${{ vars.domain }}', env: { run: 'restarters.net' } });
  });

  it('substitutes once: values that look like expressions or code stay data', () => {
    expect(interpolate('${{ vars.sneaky }}', scope)).toBe('${{ secrets.DNS_TOKEN }}');
    expect(interpolate('x ${{ vars.sneaky }} y', scope)).toBe('x ${{ secrets.DNS_TOKEN }} y');
    expect(interpolate("echo '${{ vars.quote }}'", scope)).toBe(`echo ''; rm -rf / #'`);
  });

  it('does not mutate its input', () => {
    const input = { a: ['${{ vars.domain }}'] };
    interpolate(input, scope);
    expect(input).toEqual({ a: ['${{ vars.domain }}'] });
  });
});

describe('checkExpression', () => {
  it('accepts what the runbook declares', () => {
    expect(checkExpression('vars.domain', known)).toBeNull();
    expect(checkExpression('secrets.DNS_TOKEN', known)).toBeNull();
    expect(checkExpression('steps.final-sync.outputs.rows', known)).toBeNull();
    expect(checkExpression('run.started_by', known)).toBeNull();
    expect(checkExpression("${{ vars.port == 443 && !run.dry_run }}", known, { condition: true })).toBeNull();
  });

  it('names what is wrong', () => {
    expect(checkExpression('vars.nope', known)).toBe('unknown variable "vars.nope" (declared: domain, port)');
    expect(checkExpression('secrets.OTHER', known)).toBe('secret "OTHER" is not declared in secrets: (declared: DNS_TOKEN)');
    expect(checkExpression('steps.smoke.outputs.ok', known)).toBe('"steps.smoke" is not an earlier step (earlier: announce, final-sync)');
    expect(checkExpression("vars.domain == 'x'", known)).toMatch(/is not a reference/);
    expect(checkExpression('vars.domain ==', known, { condition: true })).toMatch(/expected a value/);
  });
});
