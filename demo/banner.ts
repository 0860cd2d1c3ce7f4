// The friendly banner of the interactive demo: where to click and what to type, nothing else.
import { BOT_TOKEN, SIGNING_SECRET, type DemoStack } from './demo-stack.js';
import type { OwnStack } from './own-stack.js';

export function printBanner(stack: DemoStack): void {
  const url = stack.emulator.url;
  const lines = [
    '',
    '  tzero demo is running',
    '',
    `  Open ${url} in your browser: it is a local Slack with #cutover.`,
    '',
    '  1. Pick the user "second" and type:   /cutover start restarters-go-live',
    '     Watch the card and its thread: maintenance mode, the final sync, then an approval.',
    '  2. Switch to "lead" and click Approve in the thread. DNS flips, master is merged into',
    '     production on the local GitHub, its CircleCI deploy status turns green, smoke tests run,',
    '     and the two-hour rollback window opens.',
    '  3. Break the new site and watch #alerts and the thread: tzero proposes a rollback.',
    `       curl -X POST ${stack.world.newSite.url}/_control/fail -d '{"on":true}'`,
    '  4. As "lead", click Roll back (or type /rollback and confirm). Steps are undone in reverse order.',
    '',
    `  Behind it: old site ${stack.world.oldSite.url}, new site ${stack.world.newSite.url},`,
    `  DNS ${stack.world.dns.address}, GitHub ${stack.world.github.url}, Redis ${stack.redis.url} (keys under ${stack.prefix}).`,
    '',
    '  Ctrl-C stops everything.',
    '',
  ];
  console.log(lines.join('\n'));
}

/** `--runbooks DIR`: what was loaded, who and where to act, and the emulator's credentials. */
export function printOwnBanner(stack: OwnStack): void {
  const lines = [
    '',
    `  tzero is running on your runbooks in ${stack.runbooksDir}`,
    '',
    `  Open ${stack.emulator.url} in your browser: a local Slack.`,
    `  Runbooks: ${stack.runbooks.join(', ') || 'none valid'}` + (stack.invalid.length ? ` (${stack.invalid.length} invalid; /cutover list says why)` : ''),
    ...stack.invalid.map((i) => `    ${i.problem}`),
    `  Monitors file: ${stack.monitorsFile}`,
    `  Users: ${stack.users.map((u) => `${u.name} (${u.id})`).join(', ')}`,
    `  Channels: ${stack.channels.map((c) => `#${c.name} (${c.id})`).join(', ')}`,
    '',
    '  Pick a user allowed to start, go to the runbook\'s channel and type /cutover start <runbook>',
    '  (add --dry-run to rehearse). Files are read in place: edit, then /cutover list.',
    '',
    `  Emulator credentials (local only): signing secret ${SIGNING_SECRET}, bot token ${BOT_TOKEN}.`,
    `  Redis ${stack.redis.url} (keys under ${stack.prefix}). Ctrl-C stops everything.`,
    '',
  ];
  console.log(lines.join('\n'));
}
