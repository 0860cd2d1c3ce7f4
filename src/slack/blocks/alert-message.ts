// An alert group's message: what fires, how often, since when; edited in place as the group
// grows or resolves, so a storm stays one message whose counts add up to what arrived.
import type { AlertGroup } from '../../alerts/groups.js';
import { formatDuration } from '../../runbooks/duration.js';
import { ACTION_IDS } from '../action-ids.js';
import { actions, button, capBlocks, context, cut, cutMd, LIMITS, link, md, mdJoin, section, type KnownBlock, type Mrkdwn, type SlackMessage } from './kit.js';
import { stamp } from './labels.js';

const SEVERITY = { critical: ':rotating_light:', warning: ':warning:', info: ':information_source:' } as const;
const MAX_LISTED = 10;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The group's name with what it holds ("Errors in production · restarters: 30 issues, 300 events"), else the alert's title. */
export function groupTitle(g: AlertGroup): string {
  if (!g.name) return g.title;
  const listed = Object.keys(g.items).length;
  const things = plural(listed, g.source === 'sentry' ? 'issue' : 'alert');
  return `${g.name}: ${g.unlisted ? `${things} (and more)` : things}, ${plural(g.count, 'event')}`;
}

// Titles, details and monitor errors come from Sentry or from the monitored systems: plain text.
function headline(g: AlertGroup, now: number): Mrkdwn {
  const title = cut(groupTitle(g), 500);
  if (g.status === 'resolved') {
    const took = g.resolvedAt ? ` after ${formatDuration(g.resolvedAt - g.firingSince)}` : '';
    return md`:white_check_mark: *RESOLVED*${took} — ${title}`;
  }
  return md`${SEVERITY[g.severity]} *${g.severity.toUpperCase()}* — ${title} (firing ${formatDuration(now - g.firingSince)})`;
}

function itemLine(i: AlertGroup['items'][string]): Mrkdwn {
  const title = cut(i.title, 200);
  const mark = i.status === 'resolved' ? ':white_check_mark:' : '•';
  const details = i.details.length ? md` — ${cut(i.details.slice(0, 3).join(' · '), 300)}` : md``;
  return md`${mark} ${i.url ? link(i.url, title) : title} ×${i.count}${details}`;
}

function itemLines(g: AlertGroup): Mrkdwn[] {
  const items = Object.values(g.items).sort((a, b) => b.lastAt - a.lastAt);
  const lines = items.slice(0, MAX_LISTED).map(itemLine);
  const more = items.length - MAX_LISTED;
  const hidden = items.slice(MAX_LISTED).reduce((n, i) => n + i.count, 0) + g.unlisted;
  if (more > 0 || g.unlisted) lines.push(md`… and ${hidden} more events${more > 0 ? ` in ${more} more alerts` : ''}`);
  if (g.truncated) lines.push(md`… and ${g.truncated} more alert${g.truncated === 1 ? '' : 's'} the sender left out (max_alerts)`);
  return lines;
}

function body(g: AlertGroup, now: number, extra: Mrkdwn[]): KnownBlock[] {
  const lines = itemLines(g);
  const listed = Object.keys(g.items).length;
  return [
    section(headline(g, now)),
    section(lines.length ? cutMd(mdJoin(lines), LIMITS.sectionText) : md`(no details)`),
    context(md`${g.source} · ${g.count} event${g.count === 1 ? '' : 's'} since ${stamp(g.firstAt)} · last ${stamp(g.lastAt)}`, ...extra),
    // Only the top items are listed above: the full list is one click away.
    ...(listed > MAX_LISTED ? [actions('alert_list', [button({ actionId: ACTION_IDS.alertShowAll, text: `Show all ${listed}`, value: JSON.stringify({ groupId: g.id }) })])] : []),
  ];
}

/** Every listed item of a group (the ephemeral answer to "Show all"), newest first. */
export function alertListMessage(g: AlertGroup): SlackMessage {
  const items = Object.values(g.items).sort((a, b) => b.lastAt - a.lastAt).map(itemLine);
  const sections: Mrkdwn[] = [];
  for (const line of items) {
    const last = sections.at(-1);
    if (last !== undefined && last.length + line.length + 1 <= LIMITS.sectionText) sections[sections.length - 1] = mdJoin([last, line]);
    else sections.push(cutMd(line, LIMITS.sectionText));
  }
  if (g.unlisted) sections.push(md`… and ${g.unlisted} more events of alerts not listed (a group keeps ${Object.keys(g.items).length} at most)`);
  return {
    text: cutMd(md`All alerts of ${groupTitle(g)}`, LIMITS.fallbackText).text,
    blocks: capBlocks([section(md`*${cut(groupTitle(g), 500)}*`), ...sections.map((t) => section(t))]),
  };
}

function fallback(g: AlertGroup): string {
  const what = g.name ? groupTitle(g) : `${g.title} (${plural(g.count, 'event')})`;
  return cutMd(md`${g.status === 'resolved' ? 'RESOLVED' : g.severity.toUpperCase()}: ${what}`, LIMITS.fallbackText).text;
}

export function alertMessage(group: AlertGroup, now: number): SlackMessage {
  return { text: fallback(group), blocks: body(group, now, []) };
}

/** The copy in a live run's thread, tagged with the step that was running when it fired. */
export function runAlertMessage(group: AlertGroup, stepTag: string | undefined, now: number): SlackMessage {
  return { text: fallback(group), blocks: body(group, now, [stepTag ? md`fired during step \`${cut(stepTag, 100)}\`` : md`fired during the run`]) };
}
