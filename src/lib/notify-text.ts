// A notify text is the runbook author's mrkdwn with `${{ }}` values in it. The author's parts are
// trusted, but only for tzero's own constructs (user mentions, channel links, links, `@role`);
// a broadcast such as `<!channel>` is shown as text. Every value is plain text: an HTTP body
// containing `<!channel>` or `<@U…>` is shown, never sent, and a value "@lead" pings no one.
import { escapeMrkdwn, trustStored, type Mrkdwn } from './mrkdwn.js';

const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/g;
// `@role` not preceded by a word character or `<` (so emails and `<@U…>` mentions stay intact).
const MENTION = /(?<![\w<@])@([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?![\w-])/g;
/** The constructs an author may write: `<@U…>`, `<#C…>`/`<#C…|name>`, `<https://…|label>`, `<mailto:…>`. */
const OWN_CONSTRUCT = /<(?:@[UW][A-Z0-9]+|#[CG][A-Z0-9]+(?:\|[^<>|]*)?|(?:https?:\/\/|mailto:)[^\s<>|]+(?:\|[^<>|]*)?)>/g;
const ENTITY = /&(?:amp|lt|gt);/y;

/** Escapes what the author wrote except their own constructs and entities already escaped. */
function authorMrkdwn(text: string): string {
  let out = '';
  let at = 0;
  for (const m of text.matchAll(OWN_CONSTRUCT)) {
    out += escapeAuthorText(text.slice(at, m.index)) + m[0];
    at = m.index + m[0].length;
  }
  return out + escapeAuthorText(text.slice(at));
}

function escapeAuthorText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    ENTITY.lastIndex = i;
    if (c === '&' && ENTITY.test(text)) out += c;
    else out += c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c;
  }
  return out;
}

/** Replaces `@role` with `<@U1> <@U2>` for known, non-empty roles; other `@words` stay as typed. */
export function expandRoleMentions(text: string, roles: Readonly<Record<string, string[]>>): { text: string; mentioned: string[] } {
  const mentioned = new Set<string>();
  const expanded = text.replace(MENTION, (whole, role: string) => {
    const users = Object.hasOwn(roles, role) ? roles[role]! : [];
    if (!users.length) return whole;
    users.forEach((u) => mentioned.add(u));
    return users.map((u) => `<@${u}>`).join(' ');
  });
  return { text: expanded, mentioned: [...mentioned] };
}

/** Builds the message from the raw field: author parts trusted (as above), values escaped. */
export function composeNotifyText(
  raw: string,
  evaluate: (expression: string) => string,
  roles: Readonly<Record<string, string[]>>,
): { text: Mrkdwn; mentioned: string[] } {
  const mentioned = new Set<string>();
  let out = '';
  let at = 0;
  const literal = (part: string) => {
    const expanded = expandRoleMentions(authorMrkdwn(part), roles);
    expanded.mentioned.forEach((u) => mentioned.add(u));
    out += expanded.text;
  };
  for (const m of raw.matchAll(EXPRESSION)) {
    literal(raw.slice(at, m.index));
    out += escapeMrkdwn(evaluate(m[1]!.trim()));
    at = m.index + m[0].length;
  }
  literal(raw.slice(at));
  return { text: trustStored(out), mentioned: [...mentioned] };
}
