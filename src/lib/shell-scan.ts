// Where each `${{ }}` of a shell.run text sits, as /bin/sh reads it. An outside value must be
// exactly one argument: outside quotes `${X}` would be split on spaces and globbed (`a /` →
// `rm -rf /tmp/a /`), so there it becomes `"${X}"`; inside double quotes, a here-document body
// or arithmetic it stays `${X}` (already one word, and quotes there would be literal).
import { StepFailure } from '../errors.js';

/**
 * code: top level, `$( )`, `( )`, backticks, `${ }` outside double quotes: values are split.
 * dq / brace-dq / arith: values are not split. sq: nothing expands (an expression there is refused).
 */
type Ctx = 'code' | 'cmd' | 'paren' | 'bq' | 'brace' | 'dq' | 'brace-dq' | 'arith' | 'sq';

const SPLIT: ReadonlySet<Ctx> = new Set(['code', 'cmd', 'paren', 'bq', 'brace']);
const WORD_START = /[\s;&|()<>]/;

export interface ShellScanHooks {
  /** Called with each expression's body and how it is quoted; returns the text to put in its place. */
  expression(body: string, quoted: 'none' | 'double'): string;
}

const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/y;

/** Rewrites `raw`, asking `hooks` for each expression's replacement. */
export function scanShell(raw: string, hooks: ShellScanHooks): string {
  const stack: Ctx[] = ['code'];
  const top = (): Ctx => stack[stack.length - 1]!;
  const heredocs: Array<{ delimiter: string; quoted: boolean; strip: boolean }> = [];
  let out = '';
  let i = 0;

  const expressionAt = (): boolean => {
    EXPRESSION.lastIndex = i;
    const m = EXPRESSION.exec(raw);
    if (!m) return false;
    const ctx = top();
    if (ctx === 'sq') throw new StepFailure(`\${{${m[1]}}} is inside single quotes and would not expand; use double quotes`);
    out += hooks.expression(m[1]!.trim(), SPLIT.has(ctx) ? 'none' : 'double');
    i += m[0].length;
    return true;
  };

  /** Copies here-document bodies that start after the newline at `i`. */
  const readHeredocs = (): void => {
    for (const doc of heredocs.splice(0)) {
      while (i < raw.length) {
        const end = raw.indexOf('\n', i);
        const lineEnd = end < 0 ? raw.length : end;
        const line = raw.slice(i, lineEnd);
        if ((doc.strip ? line.replace(/^\t+/, '') : line) === doc.delimiter) {
          out += line;
          i = lineEnd;
          break;
        }
        let j = 0;
        while (j < line.length) {
          if (line.startsWith('${{', j)) {
            EXPRESSION.lastIndex = j;
            const m = EXPRESSION.exec(line);
            if (m) {
              if (doc.quoted) throw new StepFailure(`\${{${m[1]}}} is in a quoted here-document (<<'${doc.delimiter}') and would not expand`);
              out += hooks.expression(m[1]!.trim(), 'double');
              j += m[0].length;
              continue;
            }
          }
          out += line[j++];
        }
        out += end < 0 ? '' : '\n';
        i = end < 0 ? raw.length : end + 1;
      }
    }
  };

  while (i < raw.length) {
    const ctx = top();
    const c = raw[i]!;
    if (c === '$' && raw.startsWith('${{', i) && expressionAt()) continue;
    if (ctx === 'sq') {
      if (c === "'") stack.pop();
      out += c;
      i++;
      continue;
    }
    if (c === '\\') {
      out += raw.slice(i, i + 2);
      i += 2;
      continue;
    }
    const dqLike = ctx === 'dq' || ctx === 'brace-dq';
    if (c === '$' && raw.startsWith('$((', i)) {
      stack.push('arith');
      out += '$((';
      i += 3;
      continue;
    }
    if (c === '$' && raw[i + 1] === '(') {
      stack.push('cmd');
      out += '$(';
      i += 2;
      continue;
    }
    if (c === '$' && raw[i + 1] === '{') {
      stack.push(dqLike ? 'brace-dq' : 'brace');
      out += '${';
      i += 2;
      continue;
    }
    if (c === '`') {
      if (ctx === 'bq') stack.pop();
      else stack.push('bq');
      out += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (ctx === 'dq') stack.pop();
      else if (ctx !== 'arith') stack.push('dq');
      out += c;
      i++;
      continue;
    }
    if (ctx === 'dq') {
      out += c;
      i++;
      continue;
    }
    if (c === '}' && (ctx === 'brace' || ctx === 'brace-dq')) stack.pop();
    else if (c === ')' && ctx === 'arith' && raw[i + 1] === ')') {
      stack.pop();
      out += '))';
      i += 2;
      continue;
    } else if (c === ')' && (ctx === 'cmd' || ctx === 'paren')) stack.pop();
    else if (c === '(') stack.push('paren');
    else if (c === "'" && ctx !== 'arith') stack.push('sq');
    else if (SPLIT.has(ctx) && ctx !== 'brace') {
      if (c === '#' && (i === 0 || WORD_START.test(raw[i - 1]!))) {
        const end = raw.indexOf('\n', i);
        const stop = end < 0 ? raw.length : end;
        out += raw.slice(i, stop);
        i = stop;
        continue;
      }
      const doc = /^<<(-?)[ \t]*(?:'([^']*)'|"([^"]*)"|\\?([A-Za-z0-9_.-]+))/.exec(raw.slice(i, i + 200));
      if (doc) {
        const delimiter = doc[2] ?? doc[3] ?? doc[4]!;
        heredocs.push({ delimiter, quoted: doc[2] !== undefined || doc[3] !== undefined || doc[0].includes('\\'), strip: doc[1] === '-' });
        out += doc[0];
        i += doc[0].length;
        continue;
      }
      if (c === '\n' && heredocs.length) {
        out += c;
        i++;
        readHeredocs();
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}
