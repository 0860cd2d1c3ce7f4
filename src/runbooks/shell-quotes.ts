// Finds `${{ … }}` written inside single quotes in a shell text. tzero hands each value to the
// shell as a variable; inside '…' the shell never expands it, so the command would receive the
// variable's name instead of the value, and fail mid-run. A small quote scanner, not a shell
// parser: enough for quotes, backslashes and comments.
import { findExpressions } from './expressions.js';

/** The expressions (as written) that sit inside single quotes. */
export function singleQuotedExpressions(text: string): string[] {
  const found = findExpressions(text);
  const hits: string[] = [];
  let state: 'none' | 'single' | 'double' = 'none';
  let next = 0; // index into found
  for (let i = 0; i < text.length; i++) {
    const expr = found[next];
    if (expr && i === expr.start) {
      if (state === 'single') hits.push(text.slice(expr.start, expr.end));
      i = expr.end - 1;
      next++;
      continue;
    }
    const c = text[i];
    if (state === 'single') {
      if (c === "'") state = 'none';
    } else if (state === 'double') {
      if (c === '\\') i++;
      else if (c === '"') state = 'none';
    } else if (c === '\\') i++;
    else if (c === "'") state = 'single';
    else if (c === '"') state = 'double';
    else if (c === '#' && (i === 0 || /[\s;&|(]/.test(text[i - 1]!))) {
      // A comment: its apostrophes ("don't") quote nothing.
      const end = text.indexOf('\n', i);
      if (end < 0) break;
      while (found[next] && found[next]!.start < end) next++;
      i = end;
    }
  }
  return hits;
}
