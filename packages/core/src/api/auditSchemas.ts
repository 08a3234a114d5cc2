/** The audit log as the API serves it: hash-chained entries, the signed head, the live stream's query. */
import { z } from 'zod'
import { timestamp } from './common.ts'

export const auditEntrySchema = z.object({
  seq: z.number().int(),
  ts: timestamp,
  actor: z.object({
    type: z.enum(['owner', 'account', 'service_token', 'agent', 'system']),
    id: z.string().nullable(),
  }),
  action: z.string(),
  subject: z.object({ type: z.string(), id: z.string().nullable() }),
  data: z.record(z.string(), z.unknown()),
  prev_hash: z.string(),
  hash: z.string(),
})
export type AuditEntryResponse = z.infer<typeof auditEntrySchema>

const sequence = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER)

export const auditQuerySchema = z.strictObject({
  after_seq: sequence.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  action: z.string().max(64).optional(),
  subject_type: z.string().max(32).optional(),
  subject_id: z.string().max(64).optional(),
  actor_id: z.string().max(64).optional(),
})
/** Another organisation's entry in an organisation's view: where it sits in the chain, not what it says. */
export const redactedAuditEntrySchema = z.object({
  seq: z.number().int(),
  prev_hash: z.string(),
  hash: z.string(),
  redacted: z.literal(true),
})

export const auditPageSchema = z.object({
  /** In chain order; with no filter, other organisations' entries are there as redacted links. */
  data: z.array(z.union([auditEntrySchema, redactedAuditEntrySchema])),
  /** Pass as `after_seq` for the next page; null on the last one. */
  next_after_seq: z.number().int().nullable(),
})

export const auditHeadSchema = z.object({
  seq: z.number().int(),
  hash: z.string().optional(),
  /** Entries written but not yet sealed into the chain (sealed within moments). */
  unsealed: z.number().int(),
})

/** The signed head; keep copies outside Bursar (`bursar audit checkpoint`). */
export const signedHeadSchema = z.object({
  seq: z.number().int(),
  hash: z.string(),
  signed_at: z.string(),
  public_key: z.string(),
  signature: z.string().nullable(),
})

export const eventsQuerySchema = z.strictObject({
  after_seq: sequence.optional(),
  /** Comma-separated action prefixes, e.g. "breaker.,intent.failed". */
  actions: z.string().max(500).optional(),
  /** false: send what is there and end the response (for scripts and curl). */
  follow: z.enum(['true', 'false']).default('true'),
})
export const lastEventIdSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,15})$/, 'must be an event id this stream sent (a sequence number)')
  .refine(
    (value) => !/^[0-9]+$/.test(value) || Number(value) <= Number.MAX_SAFE_INTEGER,
    'is larger than any event id',
  )
export const eventsHeadersSchema = z.object({ 'last-event-id': lastEventIdSchema.optional() })
