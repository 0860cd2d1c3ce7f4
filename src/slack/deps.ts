// What the Slack listeners get: the engine port and a logger. Nothing else.
import type { Logger } from 'pino';
import type { EngineApi } from '../engine/engine-api.js';

export interface SlackDeps {
  engine: EngineApi;
  log: Logger;
  /** The runtime's clock (countdowns and dates in replies). */
  now?: () => number;
}
