// Slack mrkdwn to safe HTML: everything is escaped first, then a small set of markup is re-introduced.

export function escapeHtml(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function safeHref(url) {
  const decoded = url.replace(/&amp;/g, '&');
  return /^(https?:|mailto:)/i.test(decoded) ? url : '#';
}

/**
 * Slack's own escapes: a message says `&lt;`, `&gt;` and `&amp;` to show `<`, `>` and `&` (that is
 * how text from outside is kept from becoming a mention or a link). After HTML escaping they read
 * `&amp;lt;`…; this turns them back into the HTML for the character, so they show as Slack shows them.
 */
function slackEntities(html) {
  return html.replace(/&amp;(lt|gt|amp);/g, '&$1;');
}

/** <@U1>, <#C1|name>, <!here>, <url|text>, <url> — already HTML-escaped, so they appear as &lt;…&gt;. */
function renderTokens(s, users) {
  return s.replace(/&lt;([^&\s][^]*?)&gt;/g, (whole, inner) => {
    const [target, label] = slackEntities(inner).split('|');
    if (target.startsWith('@')) {
      const id = target.slice(1);
      return `<span class="mention" data-user-id="${id}">@${users[id] ?? label ?? id}</span>`;
    }
    if (target.startsWith('#')) return `<span class="mention">#${label ?? target.slice(1)}</span>`;
    if (target.startsWith('!')) return `<span class="mention">@${target.slice(1).split('^')[0]}</span>`;
    if (/^(https?:|mailto:)/i.test(target)) {
      return `<a href="${safeHref(target)}" target="_blank" rel="noopener">${label ?? target}</a>`;
    }
    return whole;
  });
}

// The shortcodes tzero sends, as Slack would show them; unknown ones stay as typed (as in Slack).
const EMOJI = {
  white_check_mark: '✅', x: '❌', rewind: '⏪', leftwards_arrow_with_hook: '↩️', bangbang: '‼️',
  white_circle: '⚪', warning: '⚠️', no_entry_sign: '🚫', no_entry: '⛔', hourglass: '⌛',
  hourglass_flowing_sand: '⏳', arrows_counterclockwise: '🔄', raised_hand: '✋', page_facing_up: '📄',
  information_source: 'ℹ️', heavy_minus_sign: '➖', grey_question: '❔', fast_forward: '⏩',
  double_vertical_bar: '⏸️', boom: '💥', rotating_light: '🚨',
};

function renderInline(s, users) {
  let out = renderTokens(s, users);
  out = out.replace(/:([a-z][a-z0-9_+-]*):/g, (whole, name) => EMOJI[name] ?? whole);
  out = out.replace(/(^|[\s(])\*(?!\s)([^*\n]+?)\*(?=$|[\s).,:;!?])/g, '$1<b>$2</b>');
  out = out.replace(/(^|[\s(])_(?!\s)([^_\n]+?)_(?=$|[\s).,:;!?])/g, '$1<i>$2</i>');
  out = out.replace(/(^|[\s(])~(?!\s)([^~\n]+?)~(?=$|[\s).,:;!?])/g, '$1<s>$2</s>');
  // Last, so an escaped `&lt;!channel&gt;` is shown as text and never read as a token.
  return slackEntities(out).replace(/\n/g, '<br>');
}

/** users: map of user id → name, so <@U0LEAD> shows as @lead. */
export function mrkdwnToHtml(text, users = {}) {
  const escaped = escapeHtml(text ?? '');
  // Code is literal: split it out before any other formatting applies.
  const parts = escaped.split(/(```[^]*?```|`[^`\n]+`)/g);
  return parts.map((part) => {
    if (part.startsWith('```') && part.endsWith('```') && part.length >= 6) return `<pre>${slackEntities(part.slice(3, -3).replace(/^\n/, ''))}</pre>`;
    if (part.startsWith('`') && part.endsWith('`') && part.length >= 2) return `<code>${slackEntities(part.slice(1, -1))}</code>`;
    return renderInline(part, users);
  }).join('');
}

export function textObjectToHtml(obj, users) {
  if (!obj) return '';
  if (obj.type === 'mrkdwn') return mrkdwnToHtml(obj.text, users);
  // plain_text with emoji: true shows :shortcodes: as emoji, as in Slack.
  const text = escapeHtml(obj.text).replace(/\n/g, '<br>');
  return obj.emoji === false ? text : text.replace(/:([a-z][a-z0-9_+-]*):/g, (whole, name) => EMOJI[name] ?? whole);
}
