// tzero as a child process for crash tests: the real entry point's wiring, with the test
// outbox pacing when asked.
import { createTzero } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { installShutdown } from '../../src/shutdown.js';

const fast = process.env.TZERO_FAST_OUTBOX === '1';
const config = loadConfig();
const tzero = createTzero(config, {
  outbox: fast ? { postIntervalMs: 0, editIntervalMs: 0, updatesPerMinute: 10_000, tickMs: 30 } : {},
  relay: fast ? { groupWaitMs: 300, groupIntervalMs: 0 } : {},
});
installShutdown(tzero, config.shutdownGraceMs);
await tzero.start();
