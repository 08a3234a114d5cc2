/** Policy versions as owners read, set and replay them (the document itself: policyDocumentSchema). */
import { z } from 'zod'
import { timestamp } from './common.ts'

export const policyWarningSchema = z.object({ path: z.string(), code: z.string(), message: z.string() })

export const currentPolicyResponseSchema = z.object({
  agent_id: z.string(),
  version: z.number().int(),
  document: z.unknown(),
  created_at: timestamp,
})
export const policyVersionsResponseSchema = z.object({
  data: z.array(
    z.object({
      version: z.number().int(),
      document: z.unknown(),
      created_by: z.string(),
      created_at: timestamp,
    }),
  ),
})
export const setPolicyResponseSchema = z.object({
  agent_id: z.string(),
  version: z.number().int(),
  document: z.unknown(),
  warnings: z.array(policyWarningSchema),
})

export const replayRequestSchema = z.strictObject({
  policy: z.unknown(),
  since: z
    .string()
    .regex(/^([1-9][0-9]{0,6}[smhdw])+$/, 'a duration such as "24h" or "7d"')
    .default('7d'),
})
export const replayResponseSchema = z.object({
  agent_id: z.string(),
  since: z.string(),
  warnings: z.array(policyWarningSchema),
  evaluated: z.number().int(),
  skipped: z.number().int(),
  changed: z.array(
    z.object({
      intent_id: z.string(),
      created_at: timestamp,
      before: z.string(),
      after: z.string(),
      reasons: z.array(z.object({ code: z.string(), rule: z.string(), message: z.string() })),
    }),
  ),
  summary: z.record(z.string(), z.number()),
})
