/** The working state one evaluation threads through the rules; each rule appends its reasons and explanation. */
import type { CompiledPolicy } from '../CompiledPolicy.ts'
import type { ApprovalRequirement, ExplanationEntry, Reason } from '../Decision.ts'
import type { EffectiveIntent } from '../decodeIntent.ts'
import type { EvaluationContext } from '../EvaluationContext.ts'
import type { PolicyIntent } from '../PolicyIntent.ts'
import type { Usage } from '../Usage.ts'

export type Evaluation = {
  policy: CompiledPolicy
  intent: PolicyIntent
  effective: EffectiveIntent
  usage: Usage
  context: EvaluationContext
  /** Failing rules: any → deny. */
  reasons: Reason[]
  explanation: ExplanationEntry[]
  /** Approval triggers and the requirement of each triggered rule. */
  triggers: Reason[]
  requirements: ApprovalRequirement[]
  /** USD value of each entry of effective.spends (undefined when unpriced). */
  spendUsd: Array<bigint | undefined>
  /** Total USD value of the intent; undefined when some asset it moves has no price. */
  usd: bigint | undefined
  /** The first asset the intent moves that has no price. */
  unpriced: string | undefined
}
