// The command a shell step would run, as text for people (dry-run previews): every `${{ }}`
// replaced by its value. Display only: this text never reaches a shell. A value that the shell
// step passes as one argument is shown quoted when it stands outside quotes and is not plain.
import { findExpressions } from '../runbooks/expressions.js';

// `•` is the redaction mask: secrets are masked before quoting, so no derived form of one is shown.
const PLAIN = /^[\w@%+=:,./•-]+$/;

export function shellQuote(value: string): string {
  return PLAIN.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `raw` with each expression resolved; values outside quotes are quoted when needed. */
export function previewShellText(raw: string, resolve: (expression: string) => string): string {
  let out = '';
  let from = 0;
  let quote: "'" | '"' | undefined;
  const scan = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\\' && quote !== "'") i++;
      else if ((c === "'" || c === '"') && (!quote || quote === c)) quote = quote ? undefined : c;
    }
  };
  for (const e of findExpressions(raw)) {
    const before = raw.slice(from, e.start);
    scan(before);
    const value = resolve(e.body);
    out += before + (quote ? value : shellQuote(value));
    from = e.end;
  }
  return out + raw.slice(from);
}

/** An argv command as one line: each element one (quoted when needed) word. */
export function previewArgv(argv: string[], resolve: (expression: string) => string): string {
  return argv.map((arg) => {
    let value = '';
    let from = 0;
    for (const e of findExpressions(arg)) {
      value += arg.slice(from, e.start) + resolve(e.body);
      from = e.end;
    }
    return shellQuote(value + arg.slice(from));
  }).join(' ');
}
