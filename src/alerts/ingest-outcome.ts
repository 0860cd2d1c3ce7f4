// What an alert webhook did with a request, for the `tzero_alert_ingest_total` metric.
import type { AlertSource } from './types.js';

export type IngestOutcome = 'accepted' | 'duplicate' | 'ignored' | 'unauthorized' | 'invalid' | 'too_large' | 'unconfigured' | 'error';

/** Called by the webhook routes; `n` alerts had this outcome. */
export type IngestObserver = (source: AlertSource, outcome: IngestOutcome, n: number) => void;
