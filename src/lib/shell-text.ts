// The shell step's text handling, kept apart so it can be read (and audited) on its own:
// how `${{ }}` expressions become environment variables, and how $TZERO_OUTPUT is read.
import { StepFailure } from '../errors.js';

const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/g;

/** Replaces each `${{ expr }}` with its value: for argv elements, which never meet a shell. */
export function substituteExpressions(text: string, evaluate: (expression: string) => string): string {
  return text.replace(EXPRESSION, (_, body: string) => evaluate(body.trim()));
}

/**
 * Turns raw shell text into text + env: `${{ expr }}` → `${TZ_EXPR_n}` with TZ_EXPR_n = value.
 * An expression inside single quotes would reach the command as the literal `${TZ_EXPR_n}`,
 * so that is refused with a hint instead of silently doing the wrong thing.
 */
export function prepareShellText(raw: string, evaluate: (expression: string) => string): { text: string; env: Record<string, string> } {
  const env: Record<string, string> = {};
  let text = '';
  let quote: "'" | '"' | undefined;
  let n = 0;
  for (let i = 0; i < raw.length; ) {
    EXPRESSION.lastIndex = i;
    const m = raw.startsWith('${{', i) ? EXPRESSION.exec(raw) : null;
    if (m && m.index === i) {
      if (quote === "'") throw new StepFailure(`\${{${m[1]}}} is inside single quotes and would not expand; use double quotes`);
      const name = `TZ_EXPR_${n++}`;
      env[name] = evaluate(m[1]!.trim());
      text += `\${${name}}`;
      i += m[0].length;
      continue;
    }
    const c = raw[i]!;
    if (c === '\\' && quote !== "'") {
      text += raw.slice(i, i + 2);
      i += 2;
      continue;
    }
    if ((c === "'" || c === '"') && (!quote || quote === c)) quote = quote ? undefined : c;
    text += c;
    i++;
  }
  return { text, env };
}

/** Reads GitHub-Actions style outputs: `key=value` lines and `key<<EOF … EOF` blocks. */
export function parseOutputFile(content: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const heredoc = /^([A-Za-z_][\w-]*)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.findIndex((l, j) => j > i && l.replace(/\r$/, '') === heredoc[2]);
      if (end < 0) throw new StepFailure(`TZERO_OUTPUT: "${heredoc[1]}<<${heredoc[2]}" has no closing ${heredoc[2]}`);
      outputs[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const pair = /^([A-Za-z_][\w-]*)=(.*)$/.exec(line);
    if (pair) outputs[pair[1]!] = pair[2]!;
  }
  return outputs;
}
