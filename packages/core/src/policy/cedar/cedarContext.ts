/** The Cedar request Bursar builds for an intent: who asks, what, and a context of plain Cedar values. */
import type { CedarValueJson, Context } from '@cedar-policy/cedar-wasm/nodejs'
import type { CompiledPolicy } from '../CompiledPolicy.ts'
import type { EffectiveIntent } from '../decodeIntent.ts'
import type { PolicyIntent } from '../PolicyIntent.ts'
import { weekdays } from '../policyDocumentSchema.ts'
import type { Usage } from '../Usage.ts'

// cedar-wasm receives JavaScript numbers: a Long is passed only when the number is exact (and a BigInt crashes it).
const maxExact = BigInt(Number.MAX_SAFE_INTEGER)

/** Every field the context can hold, including those of `usage`. */
export const cedarContextFields = [
  'type',
  'network',
  'asset',
  'amount',
  'amountLong',
  'value',
  'valueLong',
  'to',
  'recipient',
  'selector',
  'hasData',
  'tokenFunction',
  'usdMicros',
  'time',
  'usage',
  'recipientKnown',
  'counts',
  'spent',
] as const

/**
 * context = { type, network, asset, amount, amountLong?, value, valueLong?, to, recipient, selector, hasData,
 * tokenFunction, usdMicros?, time: { unix, weekday, hour, minute }, usage: { recipientKnown, counts, usdMicros, spent } },
 * restricted to the fields the policy's rules mention.
 */
export function cedarContext(
  policy: CompiledPolicy,
  intent: PolicyIntent,
  effective: EffectiveIntent,
  usage: Usage,
  now: Date,
  intentUsdMicros: bigint | undefined,
): Context {
  const fields = policy.cedar?.fields ?? allFields
  const context: Record<string, CedarValueJson> = {}
  if (fields.has('type')) context.type = intent.type
  if (fields.has('network')) context.network = intent.network
  if (fields.has('asset')) context.asset = effective.asset
  if (fields.has('amount')) context.amount = effective.amount.toString()
  if (fields.has('amountLong') && effective.amount <= maxExact) context.amountLong = Number(effective.amount)
  if (fields.has('value')) context.value = intent.value.toString()
  if (fields.has('valueLong') && intent.value <= maxExact) context.valueLong = Number(intent.value)
  if (fields.has('to')) context.to = effective.target
  if (fields.has('recipient')) context.recipient = effective.recipient
  if (fields.has('selector')) context.selector = effective.selector ?? ''
  if (fields.has('hasData')) context.hasData = effective.hasData
  if (fields.has('tokenFunction')) context.tokenFunction = effective.token?.fn ?? ''
  if (fields.has('usdMicros') && intentUsdMicros !== undefined && intentUsdMicros <= maxExact) {
    context.usdMicros = Number(intentUsdMicros)
  }
  if (fields.has('time')) {
    context.time = {
      unix: Math.floor(now.getTime() / 1000),
      weekday: weekdays[(now.getUTCDay() + 6) % 7]!,
      hour: now.getUTCHours(),
      minute: now.getUTCMinutes(),
    }
  }
  if (fields.has('usage')) context.usage = usageContext(policy, effective, usage, fields)
  return context
}

const allFields: ReadonlySet<string> = new Set(cedarContextFields)

function usageContext(
  policy: CompiledPolicy,
  effective: EffectiveIntent,
  usage: Usage,
  fields: ReadonlySet<string>,
): CedarValueJson {
  const context: Record<string, CedarValueJson> = {}
  if (fields.has('recipientKnown')) context.recipientKnown = usage.recipientKnown
  if (fields.has('counts')) {
    const counts: Record<string, CedarValueJson> = {}
    for (const seconds of policy.countWindows) counts[seconds] = usage.counts.get(seconds) ?? 0
    context.counts = counts
  }
  if (fields.has('usdMicros')) {
    const usd: Record<string, CedarValueJson> = {}
    for (const seconds of policy.usdWindows) {
      const value = usage.usdMicros.get(seconds) ?? 0n
      if (value <= maxExact) usd[seconds] = Number(value)
    }
    context.usdMicros = usd
  }
  if (fields.has('spent')) {
    const spent: Record<string, CedarValueJson> = {}
    for (const limit of policy.windows) {
      if (limit.asset !== effective.asset || limit.spendKey === undefined) continue
      const value = usage.spend.get(limit.spendKey) ?? 0n
      if (value <= maxExact) spent[limit.seconds] = Number(value)
    }
    context.spent = spent
  }
  return context
}
