// `npm run demo`: a whole tzero on this machine — Redis, a local Slack (the emulator, with a web
// page), the demo world and tzero itself — ready for a person to run a cutover from the browser.
// `npm run demo -- --auto` runs the same cutover headless, checks it and exits 0 or 1.
// `npm run demo -- --runbooks DIR` runs the emulator and tzero on your own runbooks instead.
import { runAuto } from './auto-run.js';
import { printBanner, printOwnBanner } from './banner.js';
import { DEMO_USAGE, parseDemoArgs, type DemoArgs } from './demo-args.js';
import { startDemoStack, type DemoStack } from './demo-stack.js';
import { startOwnStack, type OwnStack } from './own-stack.js';

const startedAt = Date.now();
let args: DemoArgs;
try {
  args = parseDemoArgs(process.argv.slice(2));
} catch (err) {
  console.error(`npm run demo: ${(err as Error).message}\n\n${DEMO_USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(DEMO_USAGE);
  process.exit(0);
}
const auto = args.auto;
const seconds = () => ((Date.now() - startedAt) / 1000).toFixed(1);

let stack: DemoStack | OwnStack | undefined;
let stopping: Promise<void> | undefined;

/** Idempotent: a second Ctrl-C while closing does not start a second shutdown. */
function shutdown(code: number): Promise<void> {
  stopping ??= (async () => {
    // A hung close must not keep the terminal: give up after 15s.
    const force = setTimeout(() => {
      console.error('shutdown took too long; exiting');
      process.exit(code || 1);
    }, 15_000);
    force.unref();
    await stack?.close().catch((err: unknown) => console.error('error while stopping:', err));
    process.exit(code);
  })();
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (!auto) console.log('\nStopping tzero, the world, the emulator and Redis…');
    void shutdown(signal === 'SIGINT' ? 0 : 143);
  });
}

let demo: DemoStack | undefined;
try {
  if (args.runbooks) stack = await startOwnStack(args);
  else stack = demo = await startDemoStack();
} catch (err) {
  console.error(`The demo could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

if (!demo) {
  printOwnBanner(stack as OwnStack);
} else if (!auto) {
  printBanner(demo);
} else {
  console.log(`tzero demo (--auto): started in ${seconds()}s — emulator ${demo.emulator.url}, Redis ${demo.redis.url}, prefix ${demo.prefix}`);
  let ok = false;
  try {
    ok = await runAuto(demo, (line) => console.log(line));
  } catch (err) {
    console.error(`\nFAIL  ${err instanceof Error ? err.message : String(err)}`);
  }
  console.log(ok ? `\nAll checks passed in ${seconds()}s.` : `\nThe demo did NOT pass (after ${seconds()}s).`);
  await shutdown(ok ? 0 : 1);
}
