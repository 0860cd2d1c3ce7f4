// What a subcommand handler gets: the engine, who typed the command, and where.
import type { EngineApi } from '../engine/engine-api.js';

export interface CommandContext {
  engine: EngineApi;
  user: string;
  channel: string;
  now: () => number;
}
