/** Rolling-window limits: spend already reserved or committed in the window plus this intent must stay within `max`. */
import { formatUsd } from '../usd.ts'
import type { Evaluation } from './Evaluation.ts'
import { priceUnavailable } from './priceUnavailable.ts'
import { spentOf } from './spentOf.ts'

export function checkWindowLimits(e: Evaluation): void {
  for (const limit of e.policy.windows) {
    if (limit.asset !== undefined && limit.max !== undefined && limit.spendKey !== undefined) {
      const amount = spentOf(e, limit.asset)
      if (amount === 0n) {
        e.explanation.push({
          rule: limit.rule,
          kind: 'limit.window',
          result: 'skip',
          detail: 'asset not moved',
        })
        continue
      }
      const total = (e.usage.spend.get(limit.spendKey) ?? 0n) + amount
      if (total <= limit.max) {
        e.explanation.push({
          rule: limit.rule,
          kind: 'limit.window',
          result: 'pass',
          detail: `${total} <= ${limit.max}`,
        })
      } else {
        e.reasons.push({
          code: 'LIMIT_WINDOW_EXCEEDED',
          rule: limit.rule,
          message: `${total} in the last ${limit.seconds}s (this intent included) exceeds the limit of ${limit.max} for ${limit.asset}`,
          limit: limit.max.toString(),
          observed: total.toString(),
          unit: 'base_units',
          asset: limit.asset,
        })
        e.explanation.push({
          rule: limit.rule,
          kind: 'limit.window',
          result: 'fail',
          detail: `${total} > ${limit.max}`,
        })
      }
    } else if (limit.maxUsdMicros !== undefined) {
      const usd = e.usd
      if (usd === 0n) {
        e.explanation.push({
          rule: limit.rule,
          kind: 'limit.window.usd',
          result: 'skip',
          detail: 'no value moved',
        })
        continue
      }
      if (usd === undefined) {
        e.reasons.push(priceUnavailable(e, limit.rule))
        e.explanation.push({ rule: limit.rule, kind: 'limit.window.usd', result: 'fail', detail: 'no price' })
        continue
      }
      const total = (e.usage.usdMicros.get(limit.seconds) ?? 0n) + usd
      if (total <= limit.maxUsdMicros) {
        const detail = `${formatUsd(total)} <= ${formatUsd(limit.maxUsdMicros)}`
        e.explanation.push({ rule: limit.rule, kind: 'limit.window.usd', result: 'pass', detail })
      } else {
        e.reasons.push({
          code: 'LIMIT_WINDOW_USD_EXCEEDED',
          rule: limit.rule,
          message: `${formatUsd(total)} in the last ${limit.seconds}s (this intent included) exceeds the limit of ${formatUsd(limit.maxUsdMicros)}`,
          limit: limit.maxUsdMicros.toString(),
          observed: total.toString(),
          unit: 'usd_micros',
        })
        const detail = `${formatUsd(total)} > ${formatUsd(limit.maxUsdMicros)}`
        e.explanation.push({ rule: limit.rule, kind: 'limit.window.usd', result: 'fail', detail })
      }
    }
  }
}
