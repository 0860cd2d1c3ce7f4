// Entry point: config once, build, start, shut down cleanly on SIGTERM/SIGINT (src/shutdown.ts).
import { ConfigError, loadConfig } from './config.js';
import { createTzero } from './app.js';
import { installShutdown } from './shutdown.js';

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
installShutdown(tzero, config.shutdownGraceMs);
try {
  await tzero.start();
} catch (err) {
  tzero.log.fatal({ err }, 'tzero could not start');
  await tzero.stop(0).catch(() => undefined);
  process.exit(1);
}
