/** Approval requests: what an intent that needs people waits on, shown to its owner as the decoded action. */
import { z } from 'zod'
import { decimalString, idParam, timestamp } from './common.ts'

export const approvalStatuses = ['pending', 'approved', 'denied', 'expired', 'void', 'cancelled'] as const
export type ApprovalStatus = (typeof approvalStatuses)[number]

const amountSchema = z.object({
  /** Base units of `asset`, as a decimal string. */
  base_units: decimalString,
  /** Whole units, when the asset's decimals are known (the network's native asset, a configured token); else null. */
  units: z.string().nullable(),
  symbol: z.string().nullable(),
  decimals: z.number().int().nullable(),
})

export const approvalSchema = z.object({
  id: z.string(),
  intent_id: z.string(),
  agent_id: z.string(),
  status: z.enum(approvalStatuses),
  /** What will be signed, as the approvers are shown it (read from the stored transaction's effects). */
  action: z.object({
    type: z.enum(['transfer', 'call']),
    network: z.string(),
    asset: z.string(),
    amount: amountSchema,
    recipient: z.string(),
    /** Calls: the contract called, the function (name when the adapter knows it) and the calldata it carries. */
    contract: z.string().nullable(),
    function: z.object({ selector: z.string(), name: z.string().nullable() }).nullable(),
    arguments: z
      .string()
      .nullable()
      .describe('The calldata after the function id (0x-prefixed hex), encoded'),
    memo: z
      .string()
      .nullable()
      .describe(
        "The agent's own free text: its claim, not something Bursar checked (never a reason to approve)",
      ),
  }),
  /** The approval rules that asked, with why each triggered. */
  rules: z.array(
    z.object({
      rule: z.string(),
      quorum: z.number().int(),
      /** Approvals that count towards this rule's quorum so far. */
      approvals: z.number().int(),
      reasons: z.array(z.string()),
    }),
  ),
  /** SHA-256 of what the approval binds to (approvalHash). */
  approval_hash: z.string(),
  policy_version: z.number().int(),
  created_at: timestamp,
  expires_at: timestamp,
  /** Seconds until it expires while pending (0 once due); null once decided. */
  expires_in_seconds: z.number().int().nullable(),
  decided_at: timestamp.nullable(),
  /** Approved: when the intent may go to the signer (the timelock's end); any approver may cancel until then. */
  executable_at: timestamp.nullable(),
  /** Every decision recorded, in order: who, with which role and factor. */
  decisions: z.array(
    z.object({
      account_id: z.string(),
      role: z.enum(['admin', 'approver', 'viewer']),
      decision: z.enum(['approve', 'deny']),
      factor: z.enum(['totp', 'passkey', 'recovery']),
      decided_at: timestamp,
    }),
  ),
})
export type Approval = z.infer<typeof approvalSchema>

export const approvalListQuerySchema = z.strictObject({
  status: z.enum(approvalStatuses).optional(),
  agent_id: idParam.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
})

export const approvalListResponseSchema = z.object({
  data: z.array(approvalSchema),
  /** Pass as `cursor` for the next page; null on the last one. */
  next_cursor: z.string().nullable(),
})
