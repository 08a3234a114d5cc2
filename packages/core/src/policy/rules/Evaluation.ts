/** The working state one evaluation threads through the rules; each rule appends its reasons and explanation. */
import type { EffectiveIntent } from '../../chains/EffectiveIntent.ts'
import type { EffectSummary } from '../../chains/summarizeEffects.ts'
import type { CompiledPolicy } from '../CompiledPolicy.ts'
import type { ApprovalRequirement, ExplanationEntry, Reason } from '../Decision.ts'
import type { EvaluationContext } from '../EvaluationContext.ts'
import type { Usage } from '../Usage.ts'

export type Evaluation = {
  policy: CompiledPolicy
  intent: EffectiveIntent
  /** What the intent spends per asset, who gains from it, and its headline effect. */
  summary: EffectSummary
  usage: Usage
  context: EvaluationContext
  /** Failing rules: any → deny. */
  reasons: Reason[]
  explanation: ExplanationEntry[]
  /** Approval triggers and the requirement of each triggered rule. */
  triggers: Reason[]
  requirements: ApprovalRequirement[]
  /** USD value of each reservation, in the order evaluatePolicy lists them (undefined when unpriced). */
  spendUsd: Array<bigint | undefined>
  /** Total USD value of the intent; undefined when some asset it moves has no price. */
  usd: bigint | undefined
  /** The first asset the intent moves that has no price. */
  unpriced: string | undefined
}
