/**
 * Fee cap and fee budgets. The cap: the most a transaction's network fee may cost (gas limit × max fee per gas on
 * EVM), from the policy's fees.perTransaction for the native asset or else the network's default. The budgets
 * (fees.windows): fees already reserved or paid in a rolling window plus this transaction's ceiling. The executor
 * never signs above what was reserved here, so both hold whatever the fee market does between decision and signing.
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
  checkFeeWindows(e)
}

function checkFeeWindows(e: Evaluation): void {
  for (const budget of e.policy.feeWindows) {
    let ceiling = 0n
    for (const effect of e.intent.effects) {
      if (effect.kind === 'fee' && effect.asset === budget.asset) ceiling += effect.amount
    }
    if (ceiling === 0n) {
      e.explanation.push({
        rule: budget.rule,
        kind: 'fees.window',
        result: 'skip',
        detail: 'no fee in this asset',
      })
      continue
    }
    const total = (e.usage.fees.get(budget.feeKey) ?? 0n) + ceiling
    if (total <= budget.max) {
      const detail = `${total} <= ${budget.max}`
      e.explanation.push({ rule: budget.rule, kind: 'fees.window', result: 'pass', detail })
      continue
    }
    e.reasons.push({
      code: 'FEE_WINDOW_EXCEEDED',
      rule: budget.rule,
      message: `Network fees of ${total} in the last ${budget.seconds}s (this transaction's ceiling included) exceed the fee budget of ${budget.max} for ${budget.asset}`,
      limit: budget.max.toString(),
      observed: total.toString(),
      unit: 'base_units',
      asset: budget.asset,
    })
    e.explanation.push({
      rule: budget.rule,
      kind: 'fees.window',
      result: 'fail',
      detail: `${total} > ${budget.max}`,
    })
  }
}
