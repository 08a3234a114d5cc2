/** Intents: what agents submit, what Bursar stores and returns, and what a dry run explains. */
import { z } from 'zod'
import { address, decimalString, hexData, idParam, timestamp } from './common.ts'

export const transferIntentSchema = z.strictObject({
  type: z.literal('transfer'),
  network: z.string().min(1).max(64),
  to: address,
  amount: decimalString,
  /** "native" (default) or a token symbol or address known to the network. */
  asset: z.string().min(1).max(64).optional(),
  memo: z.string().max(256).optional(),
})

export const callIntentSchema = z.strictObject({
  type: z.literal('call'),
  network: z.string().min(1).max(64),
  to: address,
  data: hexData.max(2 + 2 * 128 * 1024),
  value: decimalString.optional(),
  memo: z.string().max(256).optional(),
})

export const intentRequestSchema = z.discriminatedUnion('type', [transferIntentSchema, callIntentSchema])
export type IntentRequest = z.infer<typeof intentRequestSchema>

export const intentStatuses = [
  'received',
  'rejected',
  'pending_approval',
  'approved',
  'denied',
  'expired',
  'queued',
  'signed',
  'broadcast',
  'in_doubt',
  'confirmed',
  'failed',
  'replaced',
  'cancelled',
] as const
export type IntentStatus = (typeof intentStatuses)[number]

export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')

export const submitIntentHeadersSchema = z.object({ 'idempotency-key': idempotencyKeySchema.optional() })

const reasonSchema = z.object({
  code: z.string(),
  rule: z.string(),
  message: z.string(),
  limit: z.string().optional(),
  observed: z.string().optional(),
  unit: z.enum(['base_units', 'usd_micros', 'intents']).optional(),
  asset: z.string().optional(),
})

/** The policy engine's answer (see docs/policy.md). */
export const decisionSchema = z.object({
  outcome: z.enum(['allow', 'deny', 'require_approval']),
  reasons: z.array(reasonSchema),
  approval: z
    .object({
      quorum: z.number().int(),
      approvers: z.array(z.string()),
      triggers: z.array(reasonSchema),
      requirements: z.array(
        z.object({ rule: z.string(), approvers: z.array(z.string()), quorum: z.number() }),
      ),
    })
    .optional(),
  reservations: z.array(
    z.object({
      asset: z.string(),
      amount: z.string(),
      kind: z.enum(['spend', 'fee']),
      usdMicros: z.string().optional(),
    }),
  ),
  effective: z.object({
    asset: z.string(),
    amount: z.string(),
    recipient: z.string(),
    recipients: z.array(z.string()),
    effects: z.array(
      z.object({
        kind: z.string(),
        asset: z.string(),
        amount: z.string(),
        to: z.string().optional(),
        unlimited: z.literal(true).optional(),
        via: z.string().optional(),
      }),
    ),
    selector: z.string().optional(),
    usdMicros: z.string().optional(),
  }),
  explanation: z.array(
    z.object({
      rule: z.string(),
      kind: z.string(),
      result: z.enum(['pass', 'fail', 'skip', 'approval']),
      detail: z.string().optional(),
    }),
  ),
})

export const intentSchema = z.object({
  id: z.string(),
  agent_id: z.string(),
  wallet_id: z.string(),
  status: z.enum(intentStatuses),
  request: intentRequestSchema,
  network: z.string(),
  asset: z.string(),
  amount: z.string(),
  recipient: z.string(),
  decision: decisionSchema.nullable(),
  policy_version: z.number().int().nullable(),
  nonce: z.number().int().nullable(),
  /** The transaction that was mined, once one was; until then the first one signed (replacements: `transactions`). */
  tx_hash: z.string().nullable(),
  block_number: z.number().int().nullable(),
  /** What the network charged, in base units of the native asset, once mined. */
  fee_paid: z.string().nullable(),
  /** Someone asked to cancel it after signing: a cancellation at its nonce is on its way (it may still lose). */
  cancel_requested_at: timestamp.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  idempotency_key: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
})
export type Intent = z.infer<typeof intentSchema>

export const intentListQuerySchema = z.strictObject({
  status: z.enum(intentStatuses).optional(),
  network: z.string().optional(),
  agent_id: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
})

export const intentListResponseSchema = z.object({
  data: z.array(intentSchema),
  /** Pass as `cursor` for the next page; null on the last one. */
  next_cursor: z.string().nullable(),
})

export const intentEventsResponseSchema = z.object({
  data: z.array(
    z.object({
      from: z.enum(intentStatuses).nullable(),
      to: z.enum(intentStatuses),
      data: z.record(z.string(), z.unknown()).nullable(),
      at: timestamp,
    }),
  ),
})

export const dryRunQuerySchema = z.strictObject({ agent_id: idParam.optional() })

export const dryRunResponseSchema = z.object({
  decision: decisionSchema,
  policy_version: z.number().int().nullable(),
  agent_status: z.string(),
  breaker: z.object({ scope: z.string(), reason: z.string().nullable() }).nullable(),
  /** Why the transaction could not be simulated (then its fee is not part of the decision), or null. */
  simulation_error: z.object({ code: z.string(), message: z.string() }).nullable(),
})
export type DryRunResponse = z.infer<typeof dryRunResponseSchema>
