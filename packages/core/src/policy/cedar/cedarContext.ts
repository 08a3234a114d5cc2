/** The Cedar request Bursar builds for an intent: who asks, what, and a context of plain Cedar values. */
import type { CedarValueJson, Context } from '@cedar-policy/cedar-wasm/nodejs'
import type { CompiledPolicy } from '../CompiledPolicy.ts'
import type { EffectiveIntent } from '../decodeIntent.ts'
import type { PolicyIntent } from '../PolicyIntent.ts'
import { weekdays } from '../policyDocumentSchema.ts'
import type { Usage } from '../Usage.ts'

// cedar-wasm receives JavaScript numbers: a Long is passed only when the number is exact (and a BigInt crashes it).
const maxExact = BigInt(Number.MAX_SAFE_INTEGER)

/**
 * context = { type, network, asset, amount, amountLong?, value, valueLong?, to, recipient, selector, hasData,
 * tokenFunction, usdMicros?, time: { unix, weekday, hour, minute }, usage: { recipientKnown, counts, usdMicros, spent } }
 */
export function cedarContext(
  policy: CompiledPolicy,
  intent: PolicyIntent,
  effective: EffectiveIntent,
  usage: Usage,
  now: Date,
  intentUsdMicros: bigint | undefined,
): Context {
  const context: Record<string, CedarValueJson> = {
    type: intent.type,
    network: intent.network,
    asset: effective.asset,
    amount: effective.amount.toString(),
    value: intent.value.toString(),
    to: effective.target,
    recipient: effective.recipient,
    selector: effective.selector ?? '',
    hasData: effective.hasData,
    tokenFunction: effective.token?.fn ?? '',
    time: {
      unix: Math.floor(now.getTime() / 1000),
      weekday: weekdays[(now.getUTCDay() + 6) % 7]!,
      hour: now.getUTCHours(),
      minute: now.getUTCMinutes(),
    },
    usage: usageContext(policy, effective, usage),
  }
  if (effective.amount <= maxExact) context.amountLong = Number(effective.amount)
  if (intent.value <= maxExact) context.valueLong = Number(intent.value)
  if (intentUsdMicros !== undefined && intentUsdMicros <= maxExact)
    context.usdMicros = Number(intentUsdMicros)
  return context
}

function usageContext(policy: CompiledPolicy, effective: EffectiveIntent, usage: Usage): CedarValueJson {
  const counts: Record<string, CedarValueJson> = {}
  for (const seconds of policy.countWindows) counts[seconds] = usage.counts.get(seconds) ?? 0
  const usd: Record<string, CedarValueJson> = {}
  for (const seconds of policy.usdWindows) {
    const value = usage.usdMicros.get(seconds) ?? 0n
    if (value <= maxExact) usd[seconds] = Number(value)
  }
  const spent: Record<string, CedarValueJson> = {}
  for (const limit of policy.windows) {
    if (limit.asset !== effective.asset || limit.spendKey === undefined) continue
    const value = usage.spend.get(limit.spendKey) ?? 0n
    if (value <= maxExact) spent[limit.seconds] = Number(value)
  }
  return { recipientKnown: usage.recipientKnown, counts, usdMicros: usd, spent }
}
