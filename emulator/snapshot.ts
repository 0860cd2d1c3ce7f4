// GET /_emu/state: one JSON document with everything the page, the demo and tests look at.
import type { EmulatorContext } from './context.js';
import type { Json, StoredEphemeral, StoredView } from './types.js';

export function snapshot(ctx: EmulatorContext): Json {
  const { store } = ctx;
  const channels = store.listChannels().map((c) => ({
    id: c.id,
    name: c.name,
    messages: store.messages(c.id).map((m) => ({ ...m, replies: store.replies(c.id, m.ts) })),
  }));
  const ephemerals: Record<string, StoredEphemeral[]> = {};
  for (const e of store.ephemerals) (ephemerals[e.user] ??= []).push(e);
  const views: Record<string, StoredView[]> = {};
  for (const [user, stack] of store.viewStacks) views[user] = stack;
  const ratelimited: Record<string, number> = {};
  for (const [method, stats] of Object.entries(store.methodStats)) ratelimited[method] = stats.ratelimited;
  return {
    version: store.currentVersion,
    team: ctx.team,
    bot: ctx.bot,
    botUrl: ctx.botUrl ?? null,
    rateLimits: ctx.rateLimiter.enabled,
    users: store.users,
    channels,
    ephemerals,
    views,
    apiCalls: store.apiCalls,
    methodStats: store.methodStats,
    ratelimited,
    validationFailures: store.validationFailures,
    deliveries: store.deliveries,
  };
}
