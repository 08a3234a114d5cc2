/** The Cedar request Bursar builds for an intent: who asks, what, and a context of plain Cedar values. */
import type { CedarValueJson, Context } from '@cedar-policy/cedar-wasm'
import type { EffectiveCall } from '../../chains/EffectiveIntent.ts'
import { weekdays } from '../policyDocumentSchema.ts'
import type { Evaluation } from '../rules/Evaluation.ts'

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
  'recipients',
  'selector',
  'selectors',
  'callSelector',
  'hasData',
  'tokenFunction',
  'usdMicros',
  'time',
  'usage',
  'recipientKnown',
  'counts',
  'spent',
] as const

/** One movement of value as Cedar sees it: rules run once per movement, so none can hide behind another. */
export type CedarView = {
  asset: string
  amount: bigint
  recipient: string
  tokenFunction: string
  /**
   * The selector of the call that made this movement: from the effect when the adapter records it, else looked up by
   * function name; "" when unknown (native value, or an ambiguous name from an adapter that records none).
   */
  callSelector: string
}

/**
 * The movements an intent makes, one view each (its fee aside); an intent that moves nothing has one view, its
 * headline. Evaluating Cedar per view means a rule about `asset` or `recipient` holds for every effect.
 */
export function cedarViews(e: Evaluation): CedarView[] {
  const native = `${e.intent.network}:native`
  const selectorOf = callSelectors(e.intent.call)
  const views = e.intent.effects
    .filter((effect) => effect.kind !== 'fee' && effect.amount > 0n)
    .map((effect) => ({
      asset: effect.asset,
      amount: effect.amount,
      recipient: effect.to ?? e.intent.target,
      tokenFunction:
        effect.asset === native
          ? ''
          : effect.kind === 'approval'
            ? 'approve'
            : effect.via === 'transferFrom'
              ? 'transferFrom'
              : 'transfer',
      callSelector: effect.selector ?? (effect.via === undefined ? '' : (selectorOf.get(effect.via) ?? '')),
    }))
  if (views.length > 0) return views
  const { primary } = e.summary
  const headline = tokenEffect(e)
  return [
    {
      ...primary,
      tokenFunction: tokenFunction(e),
      callSelector:
        headline?.selector ?? (headline?.via === undefined ? '' : (selectorOf.get(headline.via) ?? '')),
    },
  ]
}

/**
 * Function name → selector over every call the intent makes, for the names that stand for one selector only. An
 * effect names the function that made it (`via`), not the call: overloads (two `burn`s in one multicall) leave the
 * name ambiguous, and it is left out rather than guessed.
 */
function callSelectors(call: EffectiveCall | undefined): Map<string, string> {
  const found = new Map<string, string | undefined>()
  const visit = (at: EffectiveCall) => {
    if (at.function !== undefined) {
      const seen = found.get(at.function)
      found.set(at.function, !found.has(at.function) || seen === at.selector ? at.selector : undefined)
    }
    for (const inner of at.calls ?? []) visit(inner)
  }
  if (call !== undefined) visit(call)
  const unique = new Map<string, string>()
  for (const [name, selector] of found) if (selector !== undefined) unique.set(name, selector)
  return unique
}

/**
 * context = { type, network, asset, amount, amountLong?, value, valueLong?, to, recipient, recipients, selector,
 * selectors, callSelector, hasData, tokenFunction, usdMicros?, time: { unix, weekday, hour, minute },
 * usage: { recipientKnown, counts, usdMicros, spent } }, restricted to the fields the policy's rules mention.
 * asset/amount/recipient/tokenFunction/callSelector are one movement (`view`); recipients every party that gains
 * something; selector the outer call's function, selectors every function the intent runs (multicalls included).
 */
export function cedarContext(e: Evaluation, view: CedarView = cedarViews(e)[0]!): Context {
  const { policy, intent, summary } = e
  const fields = policy.cedar?.fields ?? allFields
  const primary = view
  const context: Record<string, CedarValueJson> = {}
  if (fields.has('type')) context.type = intent.type
  if (fields.has('network')) context.network = intent.network
  if (fields.has('asset')) context.asset = primary.asset
  if (fields.has('amount')) context.amount = primary.amount.toString()
  if (fields.has('amountLong') && primary.amount <= maxExact) context.amountLong = Number(primary.amount)
  if (fields.has('value')) context.value = intent.value.toString()
  if (fields.has('valueLong') && intent.value <= maxExact) context.valueLong = Number(intent.value)
  if (fields.has('to')) context.to = intent.target
  if (fields.has('recipient')) context.recipient = primary.recipient
  if (fields.has('recipients')) context.recipients = summary.parties.slice()
  if (fields.has('selector')) context.selector = intent.call?.selector ?? ''
  if (fields.has('selectors')) context.selectors = [...new Set(intent.selectors)]
  if (fields.has('callSelector')) context.callSelector = view.callSelector
  if (fields.has('hasData')) context.hasData = intent.call !== undefined
  if (fields.has('tokenFunction')) context.tokenFunction = view.tokenFunction
  if (fields.has('usdMicros') && e.usd !== undefined && e.usd <= maxExact) context.usdMicros = Number(e.usd)
  if (fields.has('time')) {
    const now = e.context.now
    context.time = {
      unix: Math.floor(now.getTime() / 1000),
      weekday: weekdays[(now.getUTCDay() + 6) % 7]!,
      hour: now.getUTCHours(),
      minute: now.getUTCMinutes(),
    }
  }
  if (fields.has('usage')) context.usage = usageContext(e, fields, view.asset)
  return context
}

const allFields: ReadonlySet<string> = new Set(cedarContextFields)

/** The first effect on a token, which names the function of an intent that moves nothing. */
function tokenEffect(e: Evaluation) {
  const native = `${e.intent.network}:native`
  return e.intent.effects.find((candidate) => candidate.kind !== 'fee' && candidate.asset !== native)
}

/** "approve" for an allowance grant, "transferFrom" or "transfer" for a token move, "" otherwise (as before effects). */
function tokenFunction(e: Evaluation): string {
  const effect = tokenEffect(e)
  if (effect === undefined) return ''
  if (effect.kind === 'approval') return 'approve'
  return effect.via === 'transferFrom' ? 'transferFrom' : 'transfer'
}

function usageContext(e: Evaluation, fields: ReadonlySet<string>, asset: string): CedarValueJson {
  const { policy, usage, summary } = e
  const context: Record<string, CedarValueJson> = {}
  if (fields.has('recipientKnown')) {
    context.recipientKnown = summary.parties.every((party) => usage.knownRecipients.has(party))
  }
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
      if (limit.asset !== asset || limit.spendKey === undefined) continue
      const value = usage.spend.get(limit.spendKey) ?? 0n
      if (value <= maxExact) spent[limit.seconds] = Number(value)
    }
    context.spent = spent
  }
  return context
}
