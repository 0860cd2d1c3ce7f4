// Alertmanager's webhook payload (version "4") and Grafana's webhook contact point (version "1",
// the same shape plus orgId, state, title, message and per-alert values/silenceURL/…). Lenient:
// every object is loose, unknown fields are kept and ignored, a missing optional field is not an
// error. See /work/shared/reference/integrations.md §1–§2.
import { z } from 'zod';

/** Label and annotation maps: strings in practice; anything else is dropped, not refused. */
const StringMap = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((m) => Object.fromEntries(Object.entries(m ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string')));
const Text = z.string().nullish();

export const WebhookAlert = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: StringMap,
  annotations: StringMap,
  startsAt: Text,
  endsAt: Text,
  generatorURL: Text,
  /** 16 hex chars in Alertmanager; absent in very old versions (then derived from the labels). */
  fingerprint: Text,
  // Grafana only.
  silenceURL: Text,
  dashboardURL: Text,
  panelURL: Text,
});
export type WebhookAlert = z.infer<typeof WebhookAlert>;

export const WebhookPayload = z.looseObject({
  version: z.string().nullish(),
  groupKey: z.string().min(1),
  truncatedAlerts: z.number().int().nonnegative().nullish().catch(null),
  status: z.enum(['firing', 'resolved']),
  receiver: Text,
  groupLabels: StringMap,
  commonLabels: StringMap,
  commonAnnotations: StringMap,
  externalURL: Text,
  alerts: z.array(WebhookAlert),
  // Grafana only.
  orgId: z.union([z.number(), z.string()]).nullish().catch(null),
  title: Text,
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;
