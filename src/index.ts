// Entry point: config once, build, start, shut down cleanly on SIGTERM/SIGINT.
import { ConfigError, loadConfig } from './config.js';
import { createTzero } from './app.js';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`tzero: invalid configuration:\n${err.problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exit(1);
  }
  throw err;
}

const tzero = createTzero(config);
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    tzero.log.info({ signal }, 'shutting down');
    void tzero.stop().then(() => process.exit(0));
  });
}
try {
  await tzero.start();
} catch (err) {
  tzero.log.fatal({ err }, 'tzero could not start');
  await tzero.stop().catch(() => undefined);
  process.exit(1);
}
