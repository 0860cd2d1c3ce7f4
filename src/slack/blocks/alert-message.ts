// An alert group's message: what fires, how often, since when; edited in place as the group
// grows or resolves, so a storm stays one message whose counts add up to what arrived.
import type { AlertGroup } from '../../alerts/groups.js';
import { formatDuration } from '../../runbooks/duration.js';
import { context, cut, cutMd, LIMITS, link, md, mdJoin, section, type KnownBlock, type Mrkdwn, type SlackMessage } from './kit.js';
import { stamp } from './labels.js';

const SEVERITY = { critical: ':rotating_light:', warning: ':warning:', info: ':information_source:' } as const;
const MAX_LISTED = 10;

// Titles, details and monitor errors come from Sentry or from the monitored systems: plain text.
function headline(g: AlertGroup, now: number): Mrkdwn {
  if (g.status === 'resolved') {
    const took = g.resolvedAt ? ` after ${formatDuration(g.resolvedAt - g.firingSince)}` : '';
    return md`:white_check_mark: *RESOLVED*${took} — ${cut(g.title, 500)}`;
  }
  return md`${SEVERITY[g.severity]} *${g.severity.toUpperCase()}* — ${cut(g.title, 500)} (firing ${formatDuration(now - g.firingSince)})`;
}

function itemLines(g: AlertGroup): Mrkdwn[] {
  const items = Object.values(g.items).sort((a, b) => b.lastAt - a.lastAt);
  const lines = items.slice(0, MAX_LISTED).map((i) => {
    const title = cut(i.title, 200);
    const mark = i.status === 'resolved' ? ':white_check_mark:' : '•';
    const details = i.details.length ? md` — ${cut(i.details.slice(0, 3).join(' · '), 300)}` : md``;
    return md`${mark} ${i.url ? link(i.url, title) : title} ×${i.count}${details}`;
  });
  const more = items.length - MAX_LISTED;
  const hidden = items.slice(MAX_LISTED).reduce((n, i) => n + i.count, 0) + g.unlisted;
  if (more > 0 || g.unlisted) lines.push(md`… and ${hidden} more events${more > 0 ? ` in ${more} more alerts` : ''}`);
  return lines;
}

function body(g: AlertGroup, now: number, extra: Mrkdwn[]): KnownBlock[] {
  const lines = itemLines(g);
  return [
    section(headline(g, now)),
    section(lines.length ? mdJoin(lines) : md`(no details)`),
    context(md`${g.source} · ${g.count} event${g.count === 1 ? '' : 's'} since ${stamp(g.firstAt)} · last ${stamp(g.lastAt)}`, ...extra),
  ];
}

function fallback(g: AlertGroup): string {
  return cutMd(md`${g.status === 'resolved' ? 'RESOLVED' : g.severity.toUpperCase()}: ${g.title} (${g.count} events)`, LIMITS.fallbackText).text;
}

export function alertMessage(group: AlertGroup, now: number): SlackMessage {
  return { text: fallback(group), blocks: body(group, now, []) };
}

/** The copy in a live run's thread, tagged with the step that was running when it fired. */
export function runAlertMessage(group: AlertGroup, stepTag: string | undefined, now: number): SlackMessage {
  return { text: fallback(group), blocks: body(group, now, [stepTag ? md`fired during step \`${cut(stepTag, 100)}\`` : md`fired during the run`]) };
}
