// What we need from Sentry's integration-platform webhooks, and nothing more: every object is
// loose (unknown fields kept), so a new Sentry field never breaks ingest. See
// /work/shared/reference/slack-sentry.md §6.
import { z } from 'zod';

const Id = z.union([z.string().min(1), z.number()]).transform(String);
const Text = z.string().nullish();
/** Sentry tags: `[["environment","production"], …]` or `[{ key, value }, …]`. */
const Tags = z.array(z.union([z.tuple([z.string(), z.unknown()]).rest(z.unknown()), z.looseObject({ key: z.string(), value: z.unknown() })])).nullish().catch(null);

export const Envelope = z.looseObject({
  action: z.string().min(1),
  data: z.looseObject({}),
  installation: z.looseObject({ uuid: z.string() }).nullish(),
});
export type Envelope = z.infer<typeof Envelope>;

export const EventAlertData = z.looseObject({
  event: z.looseObject({
    title: z.string().min(1),
    issue_id: Id,
    event_id: Text,
    project: z.union([z.string(), z.number()]).nullish(),
    level: Text,
    culprit: Text,
    environment: Text,
    tags: Tags,
    web_url: Text,
    url: Text,
    datetime: Text,
    timestamp: z.number().nullish().catch(null),
  }),
  triggered_rule: z.string().min(1),
});
export type EventAlertData = z.infer<typeof EventAlertData>;

export const MetricAlertData = z.looseObject({
  description_title: Text,
  description_text: Text,
  web_url: Text,
  metric_alert: z.looseObject({
    alert_rule: z.looseObject({
      id: Id,
      name: z.string().min(1),
      environment: Text,
      projects: z.array(z.string()).nullish(),
    }),
    projects: z.array(z.string()).nullish(),
    date_detected: Text,
    date_closed: Text,
  }),
});
export type MetricAlertData = z.infer<typeof MetricAlertData>;

const Assignee = z.union([z.string(), z.looseObject({ name: Text, email: Text, type: Text })]).nullish();

export const IssueData = z.looseObject({
  issue: z.looseObject({
    id: Id,
    title: z.string().min(1),
    project: z.looseObject({ slug: z.string().min(1), name: Text }),
    level: Text,
    culprit: Text,
    count: z.union([z.string(), z.number()]).nullish(),
    userCount: z.union([z.string(), z.number()]).nullish(),
    shortId: Text,
    assignedTo: Assignee,
    web_url: Text,
    permalink: Text,
    url: Text,
    lastSeen: Text,
  }),
});
export type IssueData = z.infer<typeof IssueData>;

export const InstallationData = z.looseObject({
  installation: z.looseObject({
    uuid: z.string().min(1),
    status: Text,
    organization: z.looseObject({ slug: z.string().min(1) }),
  }),
});
export type InstallationData = z.infer<typeof InstallationData>;

/** The envelope's `actor` (who assigned / resolved), for details. */
export const Actor = z.looseObject({ name: Text, type: Text }).nullish().catch(null);
