/** Tells the database which history one evaluation needs, so it looks up nothing the policy does not use. */
import type { EffectiveIntent } from '../chains/EffectiveIntent.ts'
import { summarizeEffects } from '../chains/summarizeEffects.ts'
import type { CompiledPolicy } from './CompiledPolicy.ts'
import type { UsageRequest } from './Usage.ts'

/**
 * Spend per window for the assets this intent moves (fees included), fees alone for fee budgets, USD and count windows, recipient history.
 * @example
 * const request = usageRequest(policy, intent)
 * // request.spend → [{ asset: 'anvil:native', windowSeconds: 86400 }]: fill usage.spend.set(usageKey(asset, s), total)
 */
export function usageRequest(policy: CompiledPolicy, intent: EffectiveIntent): UsageRequest {
  const { spends, parties, primary } = summarizeEffects(intent)
  const spend: UsageRequest['spend'] = []
  for (const limit of policy.windows) {
    if (limit.asset === undefined) continue
    let moved = false
    for (const item of spends) if (item.asset === limit.asset) moved = true
    // Cedar rules that read usage.spent see the headline asset's windows, even when this intent moves none of it.
    if (moved || (limit.asset === primary.asset && policy.cedar?.fields.has('spent') === true)) {
      spend.push({ asset: limit.asset, windowSeconds: limit.seconds })
    }
  }
  const fees: UsageRequest['fees'] = []
  for (const budget of policy.feeWindows) {
    if (intent.effects.some((effect) => effect.kind === 'fee' && effect.asset === budget.asset)) {
      fees.push({ asset: budget.asset, windowSeconds: budget.seconds })
    }
  }
  return {
    spend,
    fees,
    usdWindows: policy.usdWindows.slice(),
    countWindows: policy.countWindows.slice(),
    recipientHistory: policy.needsRecipientHistory,
    recipients: parties.slice(),
  }
}
