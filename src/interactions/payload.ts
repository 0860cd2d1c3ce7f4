// zod schemas for the interaction payload fields we read. Lenient with everything else;
// only ids are taken from a payload, the engine decides the rest.
import { z } from 'zod';

export const BlockActionBody = z.looseObject({
  user: z.looseObject({ id: z.string().min(1) }),
  trigger_id: z.string().optional(),
  channel: z.looseObject({ id: z.string() }).optional(),
  container: z.looseObject({ channel_id: z.string().optional() }).optional(),
  actions: z.array(z.looseObject({ action_id: z.string(), value: z.string().optional() })).min(1),
});
export type BlockActionBody = z.infer<typeof BlockActionBody>;

export const ViewSubmissionBody = z.looseObject({
  user: z.looseObject({ id: z.string().min(1) }),
  view: z.looseObject({
    private_metadata: z.string(),
    state: z.looseObject({
      values: z.record(z.string(), z.record(z.string(), z.looseObject({ value: z.string().nullish() }))),
    }),
  }),
});
export type ViewSubmissionBody = z.infer<typeof ViewSubmissionBody>;

/** The typed value of one input in a view submission ('' when empty). */
export function inputValue(body: ViewSubmissionBody, blockId: string, actionId: string): string {
  return body.view.state.values[blockId]?.[actionId]?.value ?? '';
}
