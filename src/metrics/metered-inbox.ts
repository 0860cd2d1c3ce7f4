// Counts every alert handed to the inbox, from any source (webhooks, monitors, self-watch), by
// what the inbox did with it. Refusals before the inbox (401, 400, 413) are counted by the routes.
import type { AlertInbox } from '../alerts/types.js';
import type { Metrics } from './metrics.js';

export function meteredInbox(inner: AlertInbox, m: Pick<Metrics, 'alertIngest'>): AlertInbox {
  return {
    async accept(event) {
      let fresh: boolean;
      try {
        fresh = await inner.accept(event);
      } catch (err) {
        m.alertIngest.inc({ source: event.source, result: 'error' });
        throw err;
      }
      m.alertIngest.inc({ source: event.source, result: fresh ? 'accepted' : 'duplicate' });
      return fresh;
    },
  };
}
