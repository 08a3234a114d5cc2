/** The engine's answer: the outcome, every reason, who must approve, what to reserve, and how each rule fared. */
import type { PolicyReasonCode } from './policyReasonCodes.ts'

export type Reason = {
  /** Stable machine code, see policyReasonCodes. */
  code: PolicyReasonCode
  /** The rule's explicit `id` in the document, or its JSON path (e.g. `$.limits.windows[1]`). */
  rule: string
  message: string
  /** The limit that was exceeded (base units, micro-dollars or a count, see `unit`). */
  limit?: string
  /** What the limit was compared with (the same unit). */
  observed?: string
  unit?: 'base_units' | 'usd_micros' | 'intents'
  /** Asset key of a base-unit limit. */
  asset?: string
}

export type ApprovalRequirement = { rule: string; approvers: string[]; quorum: number }

export type ExplanationEntry = {
  rule: string
  kind: string
  result: 'pass' | 'fail' | 'skip' | 'approval'
  detail?: string
}

export type Decision = {
  outcome: 'allow' | 'deny' | 'require_approval'
  /** deny: every failing rule, in evaluation order. Empty otherwise. */
  reasons: Reason[]
  /**
   * require_approval: the strictest triggered requirement (largest quorum; on a tie the first in the document)
   * and every trigger. When several rules with different approvers trigger, `requirements` lists each one;
   * an approval service that supports it should demand all of them.
   */
  approval?: { quorum: number; approvers: string[]; triggers: Reason[]; requirements: ApprovalRequirement[] }
  /**
   * What to reserve unless denied: per asset, what the intent moves (`spend`: transfers and approvals) and, apart,
   * the most its network fee may cost (`fee`, trued up to what was really paid once the transaction is mined).
   */
  reservations: Array<{ asset: string; amount: string; kind: 'spend' | 'fee'; usdMicros?: string }>
  /**
   * What the engine evaluated, read from the bytes to be signed (these win over the submitted labels): the headline
   * asset, amount and recipient, every party that gains something, and every effect.
   */
  effective: {
    asset: string
    amount: string
    recipient: string
    recipients: string[]
    effects: Array<{
      kind: string
      asset: string
      amount: string
      to?: string
      unlimited?: true
      via?: string
    }>
    selector?: string
    usdMicros?: string
  }
  /** Every rule considered, in evaluation order, for dry runs and `explain`. */
  explanation: ExplanationEntry[]
}
