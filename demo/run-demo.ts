// `npm run demo`: a whole tzero on this machine — Redis, a local Slack (the emulator, with a web
// page), the demo world and tzero itself — ready for a person to run a cutover from the browser.
// `npm run demo -- --auto` runs the same cutover headless, checks it and exits 0 or 1.
import { runAuto } from './auto-run.js';
import { printBanner } from './banner.js';
import { startDemoStack, type DemoStack } from './demo-stack.js';

const startedAt = Date.now();
const auto = process.argv.includes('--auto');
const seconds = () => ((Date.now() - startedAt) / 1000).toFixed(1);

let stack: DemoStack | undefined;
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

try {
  stack = await startDemoStack();
} catch (err) {
  console.error(`The demo could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

if (!auto) {
  printBanner(stack);
} else {
  console.log(`tzero demo (--auto): started in ${seconds()}s — emulator ${stack.emulator.url}, Redis ${stack.redis.url}, prefix ${stack.prefix}`);
  let ok = false;
  try {
    ok = await runAuto(stack, (line) => console.log(line));
  } catch (err) {
    console.error(`\nFAIL  ${err instanceof Error ? err.message : String(err)}`);
  }
  console.log(ok ? `\nAll checks passed in ${seconds()}s.` : `\nThe demo did NOT pass (after ${seconds()}s).`);
  await shutdown(ok ? 0 : 1);
}
