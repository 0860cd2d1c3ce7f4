// Redis keys of the alert pipeline, on the same prefix as src/engine/keys.ts (replicas share
// them; tests take a fresh prefix).
export function alertKeys(prefix: string) {
  const p = prefix;
  return {
    /** Redis Stream of accepted AlertEvents (field `data` = JSON); the relay's consumer group reads it. */
    inbox: `${p}:alerts:inbox`,
    /** SET NX marker per accepted event id (dedup of retries), with a TTL. */
    seen: (eventId: string) => `${p}:alerts:seen:${eventId}`,
    /** Hash: Sentry installation uuid -> JSON { org, action, status, at }. */
    sentryInstallations: `${p}:sentry:installations`,
  };
}
export type AlertKeys = ReturnType<typeof alertKeys>;
