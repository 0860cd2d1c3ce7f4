// An alert group's message: what fires, how often, since when; edited in place as the group
// grows or resolves, so a storm stays one message whose counts add up to what arrived.
import type { AlertGroup } from '../../alerts/groups.js';
import { formatDuration } from '../../runbooks/duration.js';
import { context, cut, esc, LIMITS, section, type KnownBlock, type SlackMessage } from './kit.js';
import { stamp } from './labels.js';

const SEVERITY = { critical: ':rotating_light:', warning: ':warning:', info: ':information_source:' } as const;
const MAX_LISTED = 10;

function headline(g: AlertGroup, now: number): string {
  if (g.status === 'resolved') {
    const took = g.resolvedAt ? ` after ${formatDuration(g.resolvedAt - g.firingSince)}` : '';
    return `:white_check_mark: *RESOLVED*${took} — ${esc(cut(g.title, 500))}`;
  }
  return `${SEVERITY[g.severity]} *${g.severity.toUpperCase()}* — ${esc(cut(g.title, 500))} (firing ${formatDuration(now - g.firingSince)})`;
}

function itemLines(g: AlertGroup): string[] {
  const items = Object.values(g.items).sort((a, b) => b.lastAt - a.lastAt);
  const lines = items.slice(0, MAX_LISTED).map((i) => {
    const title = esc(cut(i.title, 200));
    const link = i.url && /^https?:\/\//.test(i.url) ? `<${i.url.replace(/[|>]/g, '')}|${title}>` : title;
    const mark = i.status === 'resolved' ? ':white_check_mark:' : '•';
    return `${mark} ${link} ×${i.count}${i.details.length ? ` — ${esc(cut(i.details.slice(0, 3).join(' · '), 300))}` : ''}`;
  });
  const more = items.length - MAX_LISTED;
  const hidden = items.slice(MAX_LISTED).reduce((n, i) => n + i.count, 0) + g.unlisted;
  if (more > 0 || g.unlisted) lines.push(`… and ${hidden} more events${more > 0 ? ` in ${more} more alerts` : ''}`);
  if (g.truncated) lines.push(`… and ${g.truncated} more alert${g.truncated === 1 ? '' : 's'} the sender left out (max_alerts)`);
  return lines;
}

function body(g: AlertGroup, now: number, extra: string[]): KnownBlock[] {
  return [
    section(headline(g, now)),
    section(cut(itemLines(g).join('\n') || '(no details)', LIMITS.sectionText)),
    context(`${g.source} · ${g.count} event${g.count === 1 ? '' : 's'} since ${stamp(g.firstAt)} · last ${stamp(g.lastAt)}`, ...extra),
  ];
}

function fallback(g: AlertGroup): string {
  return cut(esc(`${g.status === 'resolved' ? 'RESOLVED' : g.severity.toUpperCase()}: ${g.title} (${g.count} events)`), LIMITS.fallbackText);
}

export function alertMessage(group: AlertGroup, now: number): SlackMessage {
  return { text: fallback(group), blocks: body(group, now, []) };
}

/** The copy in a live run's thread, tagged with the step that was running when it fired. */
export function runAlertMessage(group: AlertGroup, stepTag: string | undefined, now: number): SlackMessage {
  return { text: fallback(group), blocks: body(group, now, [stepTag ? `fired during step \`${esc(cut(stepTag, 100))}\`` : 'fired during the run']) };
}
