// What the Slack listeners get: the engine port, a read-only view of alert groups, and a logger.
import type { Logger } from 'pino';
import type { EngineApi } from '../engine/engine-api.js';
import type { AlertGroup } from '../alerts/groups.js';

export interface SlackDeps {
  engine: EngineApi;
  log: Logger;
  /** The runtime's clock (countdowns and dates in replies). */
  now?: () => number;
  /** Alert groups, read for "Show all" (absent in tests that need no alerts). */
  alerts?: { group(id: string): Promise<AlertGroup | null> };
}
