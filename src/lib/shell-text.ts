// The shell step's text handling, kept apart so it can be read (and audited) on its own:
// how `${{ }}` expressions become environment variables, and how $TZERO_OUTPUT is read.
import { StepFailure } from '../errors.js';
import { scanShell } from './shell-scan.js';

const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/g;

/** Replaces each `${{ expr }}` with its value: for argv elements, which never meet a shell. */
export function substituteExpressions(text: string, evaluate: (expression: string) => string): string {
  return text.replace(EXPRESSION, (_, body: string) => evaluate(body.trim()));
}

/**
 * Turns raw shell text into text + env: each `${{ expr }}` becomes a variable TZ_EXPR_n = value,
 * referenced so that it is exactly one word wherever it stands (see shell-scan.ts): `"${TZ_EXPR_n}"`
 * outside quotes, `${TZ_EXPR_n}` inside double quotes and here-documents. An expression inside
 * single quotes would reach the command as the literal text, so that is refused with a hint.
 */
export function prepareShellText(raw: string, evaluate: (expression: string) => string): { text: string; env: Record<string, string> } {
  const env: Record<string, string> = {};
  let n = 0;
  const text = scanShell(raw, {
    expression(body, quoted) {
      const name = `TZ_EXPR_${n++}`;
      env[name] = evaluate(body);
      return quoted === 'double' ? `\${${name}}` : `"\${${name}}"`;
    },
  });
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
