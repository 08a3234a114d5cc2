/**
 * Fee cap: the most a transaction's network fee may cost (gas limit × max fee per gas on EVM), from the policy's
 * fees.perTransaction for the native asset or else the network's default. The executor never signs above what was
 * reserved here, so the cap holds whatever the fee market does between decision and signing.
 */
import type { Evaluation } from './Evaluation.ts'

export function checkFees(e: Evaluation): void {
  for (const effect of e.intent.effects) {
    if (effect.kind !== 'fee') continue
    const own = e.policy.feeCaps.get(effect.asset)
    const cap = own?.max ?? e.context.defaultFeeCap
    const rule = own?.rule ?? 'network.defaultFeeCap'
    if (cap === undefined) {
      e.explanation.push({ rule: '$.fees', kind: 'fees', result: 'skip', detail: 'no fee cap' })
    } else if (effect.amount <= cap) {
      e.explanation.push({ rule, kind: 'fees', result: 'pass', detail: `${effect.amount} <= ${cap}` })
    } else {
      e.reasons.push({
        code: 'FEE_CAP_EXCEEDED',
        rule,
        message: `The network fee could reach ${effect.amount} of ${effect.asset}, above the cap of ${cap}`,
        limit: cap.toString(),
        observed: effect.amount.toString(),
        unit: 'base_units',
        asset: effect.asset,
      })
      e.explanation.push({ rule, kind: 'fees', result: 'fail', detail: `${effect.amount} > ${cap}` })
    }
  }
}
