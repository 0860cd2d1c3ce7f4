// `npm run demo -- [options]`: parsed here so a typo is refused (with a suggestion) instead of
// silently running the built-in demo.
import { closest } from '../src/runbooks/suggest.js';

export const DEMO_USAGE = `Usage: npm run demo -- [options]

Runs Redis, the local Slack emulator (a web page) and tzero on this machine.

Without --runbooks: the built-in Restarters.net go-live, with a small local world (old and new
site, DNS server, DNS provider). Open the printed URL and follow the banner.

Options:
  --runbooks DIR     Run tzero on your own runbooks folder instead (read in place: edit a file,
                     then /cutover list or start sees the change). No demo world is started.
  --monitors FILE    The monitors file for your runbooks (default: DIR/monitors.yml when it exists).
  --users LIST       Emulator users, e.g. U0ALICE=alice,U0BOB=bob. Added to the defaults (lead,
                     second, comms, outsider) and to every user id in your runbooks' roles.
  --channels LIST    Emulator channels, e.g. C0OPS=ops. Added to #cutover, #alerts and every
                     runbook channel.
  --auto             The built-in demo, headless: runs the cutover, checks it, exits 0 or 1.
  -h, --help         Show this help.

The emulator's credentials (local only; nothing real): signing secret demo-signing-secret-5d1e0c9a,
bot token xoxb-demo-token-not-real. Its port: EMULATOR_PORT (default 3100).`;

export interface DemoArgs {
  help: boolean;
  auto: boolean;
  runbooks?: string;
  monitors?: string;
  users: Array<{ id: string; name: string }>;
  channels: Array<{ id: string; name: string }>;
}

const VALUE_FLAGS = ['--runbooks', '--monitors', '--users', '--channels'];
const FLAGS = [...VALUE_FLAGS, '--auto', '--help', '-h'];

/** `ID=name,ID=name` (a bare ID is named after itself, lower-cased). */
function pairs(text: string, what: string, idPattern: RegExp): Array<{ id: string; name: string }> {
  return text.split(',').filter(Boolean).map((item) => {
    const [id, name] = item.split('=');
    if (!id || !idPattern.test(id)) throw new Error(`${what}: "${item}" should read ID=name with an id such as ${what === '--users' ? 'U0ALICE' : 'C0OPS'}`);
    return { id, name: name || id.toLowerCase() };
  });
}

/** Parsed options, or throws an Error whose message is the problem. */
export function parseDemoArgs(argv: string[]): DemoArgs {
  const out: DemoArgs = { help: false, auto: false, users: [], channels: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (!FLAGS.includes(flag)) {
      const guess = closest(flag, FLAGS.filter((f) => f.startsWith('--')));
      throw new Error(`unknown option ${flag}${guess ? `; did you mean ${guess}?` : ''}`);
    }
    if (flag === '--help' || flag === '-h') out.help = true;
    else if (flag === '--auto') out.auto = true;
    else {
      const value = inline ?? argv[++i];
      if (!value || value.startsWith('--')) throw new Error(`${flag} needs a value`);
      if (flag === '--runbooks') out.runbooks = value;
      else if (flag === '--monitors') out.monitors = value;
      else if (flag === '--users') out.users.push(...pairs(value, flag, /^[UW][A-Z0-9]+$/));
      else out.channels.push(...pairs(value, flag, /^[CG][A-Z0-9]+$/));
    }
  }
  if (out.auto && out.runbooks) throw new Error('--auto runs the built-in demo; it cannot be combined with --runbooks');
  if (!out.runbooks && (out.monitors || out.users.length || out.channels.length)) {
    throw new Error('--monitors, --users and --channels go with --runbooks DIR');
  }
  return out;
}
