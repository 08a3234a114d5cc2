/** Tells the database which history one evaluation needs, so it looks up nothing the policy does not use. */
import type { CompiledPolicy } from './CompiledPolicy.ts'
import { decodeIntent } from './decodeIntent.ts'
import type { PolicyIntent } from './PolicyIntent.ts'
import type { UsageRequest } from './Usage.ts'

/**
 * Spend per window for the assets this intent moves (derived from calldata), USD and count windows, recipient history.
 * @example
 * const request = usageRequest(policy, intent)
 * // request.spend → [{ asset: 'anvil:native', windowSeconds: 86400 }]: fill usage.spend.set(usageKey(asset, s), total)
 */
export function usageRequest(policy: CompiledPolicy, intent: PolicyIntent): UsageRequest {
  const effective = decodeIntent(intent)
  const spend: UsageRequest['spend'] = []
  for (const limit of policy.windows) {
    if (limit.asset === undefined) continue
    let moved = false
    for (const item of effective.spends) if (item.asset === limit.asset) moved = true
    // Cedar rules that read usage.spent see the effective asset's windows, even when this intent moves none of it.
    if (moved || (limit.asset === effective.asset && policy.cedar?.fields.has('spent') === true)) {
      spend.push({ asset: limit.asset, windowSeconds: limit.seconds })
    }
  }
  return {
    spend,
    usdWindows: policy.usdWindows.slice(),
    countWindows: policy.countWindows.slice(),
    recipientHistory: policy.needsRecipientHistory,
    recipient: effective.recipient,
  }
}
