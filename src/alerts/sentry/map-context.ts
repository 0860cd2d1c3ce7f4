// What every Sentry resource mapper gets besides the payload's `data`.
export interface MapContext {
  /** AlertEvent id: derived from the resource and the raw body, identical for a retry. */
  id: string;
  action: string;
  /** When the webhook arrived (ms since epoch). */
  receivedAt: number;
  /** The envelope's actor name (a user who assigned or resolved), if any. */
  actor?: string;
}
