// The slash-command listeners: /cutover and /rollback.
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../slack/deps.js';
import { registerCutover } from './cutover.js';
import { registerRollback } from './rollback.js';

export function registerCommands(app: App, deps: SlackDeps): void {
  registerCutover(app, deps, deps.now);
  registerRollback(app, deps);
}
