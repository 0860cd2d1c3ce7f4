// The engine's side of silences: set and end them for a run, and list what they kept back in
// the run thread when they end (unsilence step, expiry sweep, end of the run).
import type { RunMessages } from '../engine/messages.js';
import type { RunStore } from '../engine/run-store.js';
import type { SilenceHooks } from '../engine/runtime.js';
import type { EndedSilence, Silences } from './silences.js';
import { md, mdJoin } from '../lib/mrkdwn.js';

export function silenceHooks(silences: Silences, store: RunStore, messages: RunMessages, now: () => number): SilenceHooks & { sweep(): Promise<number> } {
  async function report(ended: EndedSilence[]): Promise<void> {
    for (const s of ended) {
      const run = await store.get(s.runId);
      if (!run) continue;
      // What was held back are alert titles (Sentry, monitors): plain text, escaped by md.
      const list = mdJoin(s.suppressed.slice(0, 20).map((l) => md`• ${l}`));
      const more = s.suppressed.length > 20 ? `\n… and ${s.suppressed.length - 20} more` : '';
      const text = md`:bell: Silence of *${s.monitor}* ended. ${s.suppressed.length} alert${s.suppressed.length === 1 ? ' was' : 's were'} held back${s.suppressed.length ? md`:\n${list}${more}` : '.'}`;
      await messages.notify(run.id, `silence.${s.monitor}.${s.since}`, text, { channel: run.channel, inThread: true });
    }
  }
  return {
    async silence(runId, stepId, monitors, until) {
      for (const monitor of monitors) await silences.set({ monitor, runId, stepId, since: now(), until });
    },
    async unsilence(runId, monitors) {
      await report(await silences.end((s) => s.runId === runId && monitors.includes(s.monitor)));
    },
    async endForRun(runId) {
      await report(await silences.end((s) => s.runId === runId));
    },
    /** Ends silences whose `for` ran out (called periodically by the relay loop). */
    async sweep() {
      const t = now();
      const ended = await silences.end((s) => s.until !== undefined && s.until <= t);
      await report(ended);
      return ended.length;
    },
  };
}
