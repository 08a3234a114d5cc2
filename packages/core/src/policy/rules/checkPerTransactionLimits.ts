/** Per-transaction limits: one intent may move at most `max` of an asset (its fee included), or `maxUsd` of value in total. */
import { formatUsd } from '../usd.ts'
import type { Evaluation } from './Evaluation.ts'
import { priceUnavailable } from './priceUnavailable.ts'
import { spentOf } from './spentOf.ts'

export function checkPerTransactionLimits(e: Evaluation): void {
  for (const limit of e.policy.perTransaction) {
    if (limit.asset !== undefined && limit.max !== undefined) {
      const amount = spentOf(e, limit.asset)
      if (amount === 0n) {
        e.explanation.push({
          rule: limit.rule,
          kind: 'limit.perTransaction',
          result: 'skip',
          detail: 'asset not moved',
        })
      } else if (amount <= limit.max) {
        e.explanation.push({
          rule: limit.rule,
          kind: 'limit.perTransaction',
          result: 'pass',
          detail: `${amount} <= ${limit.max}`,
        })
      } else {
        e.reasons.push({
          code: 'LIMIT_PER_TX_EXCEEDED',
          rule: limit.rule,
          message: `${amount} exceeds the per-transaction limit of ${limit.max} for ${limit.asset}`,
          limit: limit.max.toString(),
          observed: amount.toString(),
          unit: 'base_units',
          asset: limit.asset,
        })
        e.explanation.push({
          rule: limit.rule,
          kind: 'limit.perTransaction',
          result: 'fail',
          detail: `${amount} > ${limit.max}`,
        })
      }
    } else if (limit.maxUsdMicros !== undefined) {
      const usd = e.usd
      if (usd === undefined) {
        e.reasons.push(priceUnavailable(e, limit.rule))
        e.explanation.push({
          rule: limit.rule,
          kind: 'limit.perTransaction.usd',
          result: 'fail',
          detail: 'no price',
        })
      } else if (usd <= limit.maxUsdMicros) {
        const detail = `${formatUsd(usd)} <= ${formatUsd(limit.maxUsdMicros)}`
        e.explanation.push({ rule: limit.rule, kind: 'limit.perTransaction.usd', result: 'pass', detail })
      } else {
        e.reasons.push({
          code: 'LIMIT_PER_TX_USD_EXCEEDED',
          rule: limit.rule,
          message: `${formatUsd(usd)} exceeds the per-transaction limit of ${formatUsd(limit.maxUsdMicros)}`,
          limit: limit.maxUsdMicros.toString(),
          observed: usd.toString(),
          unit: 'usd_micros',
        })
        const detail = `${formatUsd(usd)} > ${formatUsd(limit.maxUsdMicros)}`
        e.explanation.push({ rule: limit.rule, kind: 'limit.perTransaction.usd', result: 'fail', detail })
      }
    }
  }
  checkListedAssets(e)
}

function checkListedAssets(e: Evaluation): void {
  const listed = e.policy.onlyListedAssets
  if (listed === undefined) return
  // Every unlisted asset is reported, not just the first. A fee alone is bounded by the fee cap, its own limit.
  let unlisted = false
  for (const spend of e.summary.spends) {
    if (listed.values.has(spend.asset)) continue
    if (
      !e.intent.effects.some(
        (effect) => effect.asset === spend.asset && effect.kind !== 'fee' && effect.amount > 0n,
      )
    )
      continue
    unlisted = true
    const message = `${spend.asset} has no asset limit and limits.onlyListedAssets is on`
    e.reasons.push({ code: 'ASSET_NOT_LISTED', rule: listed.rule, message, asset: spend.asset })
    e.explanation.push({
      rule: listed.rule,
      kind: 'limit.onlyListedAssets',
      result: 'fail',
      detail: spend.asset,
    })
  }
  if (!unlisted) e.explanation.push({ rule: listed.rule, kind: 'limit.onlyListedAssets', result: 'pass' })
}
