import { z } from 'zod';
import { consentChannels, consentLevels, consentStates } from './consent.ts';

/** One change of a customer's marketing consent, newest first (migration 023's history). */
export const consentEventSchema = z.object({
  id: z.number().int(),
  channel: z.enum(consentChannels).describe('`email` (the newsletter) or `sms`.'),
  state: z.enum(consentStates),
  level: z.enum(consentLevels).nullable(),
  consentedAt: z.string().nullable().describe('When the consent was given or withdrawn, as the evidence says.'),
  source: z.string().nullable().describe('Where it came from: `import:<id>:<row>[:file source]`, `storefront`, `staff:<id>`, `bulk:<id>`, `legacy`.'),
  sourceText: z.object({ en: z.string(), nl: z.string() }).describe('The source in words.'),
  note: z.string().nullable().describe('What else happened, e.g. "undo of import 12".'),
  recordedAt: z.string(),
});
export type ConsentEvent = z.infer<typeof consentEventSchema>;

