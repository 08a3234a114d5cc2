/** Request and response schemas of the HTTP API, shared by the server (validation, OpenAPI) and the SDK. */
import { z } from 'zod'

const decimalString = z
  .string()
  .regex(/^(0|[1-9][0-9]*)$/, 'must be a non-negative integer in base units, as a decimal string')
  .max(78)
  .describe('Integer amount in base units (wei, token base units) as a decimal string')
// Each chain family checks its own address form (INVALID_ADDRESS); here only what no chain's address contains.
const address = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'must be an address of the network: printable ASCII, no spaces')
  .describe("An address in the network's own form (EVM: 0x-prefixed hex, EIP-55 checksum if mixed case)")
const hexData = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, 'must be 0x-prefixed hex bytes')

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
  'confirmed',
  'failed',
  'replaced',
  'cancelled',
] as const
export type IntentStatus = (typeof intentStatuses)[number]

export const intentSchema = z.object({
  id: z.string(),
  agent_id: z.string(),
  wallet_id: z.string(),
  status: z.enum(intentStatuses),
  request: intentRequestSchema,
  network: z.string(),
  asset: z.string(),
  amount: decimalString,
  recipient: z.string(),
  decision: z.unknown().nullable(),
  policy_version: z.number().int().nullable(),
  nonce: z.number().int().nullable(),
  tx_hash: z.string().nullable(),
  block_number: z.number().int().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  idempotency_key: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
})
export type Intent = z.infer<typeof intentSchema>

export const intentListQuerySchema = z.strictObject({
  status: z.enum(intentStatuses).optional(),
  network: z.string().optional(),
  agent_id: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
})

export const balanceSchema = z.object({
  network: z.string(),
  asset: z.string(),
  symbol: z.string(),
  decimals: z.number().int(),
  amount: decimalString,
})
export const balancesResponseSchema = z.object({
  wallet_id: z.string(),
  address: z.string(),
  balances: z.array(balanceSchema),
})
export type Balances = z.infer<typeof balancesResponseSchema>

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()),
    request_id: z.string(),
  }),
})
export type ErrorBody = z.infer<typeof errorBodySchema>
