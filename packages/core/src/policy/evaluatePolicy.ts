/** The policy decision for one intent: every rule in the fixed order of ARCHITECTURE.md, every failure reported. */
import type { EffectiveIntent } from '../chains/EffectiveIntent.ts'
import { summarizeEffects } from '../chains/summarizeEffects.ts'
import type { CompiledPolicy } from './CompiledPolicy.ts'
import type { Decision } from './Decision.ts'
import type { EvaluationContext, PriceSource } from './EvaluationContext.ts'
import { checkAgent } from './rules/checkAgent.ts'
import { checkApprovals } from './rules/checkApprovals.ts'
import { checkCedar } from './rules/checkCedar.ts'
import { checkChains } from './rules/checkChains.ts'
import { checkContracts } from './rules/checkContracts.ts'
import { checkFees } from './rules/checkFees.ts'
import { checkIntent } from './rules/checkIntent.ts'
import { checkPerTransactionLimits } from './rules/checkPerTransactionLimits.ts'
import { checkRateLimits } from './rules/checkRateLimits.ts'
import { checkRecipients } from './rules/checkRecipients.ts'
import { checkTimeWindows } from './rules/checkTimeWindows.ts'
import { checkWindowLimits } from './rules/checkWindowLimits.ts'
import type { Evaluation } from './rules/Evaluation.ts'
import type { Usage } from './Usage.ts'
import { usdMicros } from './usd.ts'

/**
 * Evaluates `intent` (what the transaction really does, as its chain adapter read it) against `policy`. Pure: no
 * I/O, no clock (context.now), no randomness; never throws for a validated policy. A policy with no rules allows
 * everything (agent status and breakers still apply).
 * @example
 * const usage = emptyUsage() // or what usageRequest(policy, intent) asked the database for
 * const decision = evaluatePolicy(policy, intent, usage, { now: new Date(), agentStatus: 'active', breaker: { tripped: false } })
 * if (decision.outcome === 'deny') console.log(decision.reasons.map((reason) => reason.code))
 */
export function evaluatePolicy(
  policy: CompiledPolicy,
  intent: EffectiveIntent,
  usage: Usage,
  context: EvaluationContext,
): Decision {
  const summary = summarizeEffects(intent)
  const e: Evaluation = {
    policy,
    intent,
    summary,
    usage,
    context,
    reasons: [],
    explanation: [],
    triggers: [],
    requirements: [],
    spendUsd: [],
    usd: 0n,
    unpriced: undefined,
  }
  const reservations = toReserve(intent)
  price(e, reservations)
  const effective: Decision['effective'] = {
    asset: summary.primary.asset,
    amount: summary.primary.amount.toString(),
    recipient: summary.primary.recipient,
    recipients: summary.parties.slice(),
    effects: intent.effects.map((effect) => ({
      kind: effect.kind,
      asset: effect.asset,
      amount: effect.amount.toString(),
      ...(effect.to === undefined ? {} : { to: effect.to }),
      ...(effect.unlimited ? { unlimited: true as const } : {}),
      ...(effect.via === undefined ? {} : { via: effect.via }),
    })),
  }
  if (intent.call !== undefined) effective.selector = intent.call.selector
  if (e.usd !== undefined && context.prices !== undefined) effective.usdMicros = e.usd.toString()
  const deny = (): Decision => ({
    outcome: 'deny',
    reasons: e.reasons,
    reservations: [],
    effective,
    explanation: e.explanation,
  })

  if (!checkAgent(e)) {
    e.explanation.push({
      rule: '*',
      kind: 'policy',
      result: 'skip',
      detail: 'not evaluated: agent status or breaker',
    })
    return deny()
  }
  checkIntent(e)
  checkChains(e)
  checkRecipients(e)
  checkContracts(e)
  checkTimeWindows(e)
  checkPerTransactionLimits(e)
  checkFees(e)
  checkWindowLimits(e)
  checkRateLimits(e)
  checkApprovals(e)
  checkCedar(e)

  if (e.reasons.length > 0) return deny()
  const reserved: Decision['reservations'] = reservations.map((item, index) => {
    const usd = e.spendUsd[index]
    const entry = { asset: item.asset, amount: item.amount.toString(), kind: item.kind }
    return usd === undefined ? entry : { ...entry, usdMicros: usd.toString() }
  })
  if (e.requirements.length === 0) {
    return { outcome: 'allow', reasons: [], reservations: reserved, effective, explanation: e.explanation }
  }
  let strictest = e.requirements[0]!
  for (const requirement of e.requirements) if (requirement.quorum > strictest.quorum) strictest = requirement
  return {
    outcome: 'require_approval',
    reasons: [],
    approval: {
      quorum: strictest.quorum,
      approvers: strictest.approvers,
      triggers: e.triggers,
      requirements: e.requirements,
    },
    reservations: reserved,
    effective,
    explanation: e.explanation,
  }
}

type ToReserve = { asset: string; amount: bigint; kind: 'spend' | 'fee' }

/** Per asset, what the intent moves, and apart from it the fee ceiling (so it can be trued up after mining). */
function toReserve(intent: EffectiveIntent): ToReserve[] {
  const out: ToReserve[] = []
  for (const effect of intent.effects) {
    if (effect.amount === 0n) continue
    const kind = effect.kind === 'fee' ? 'fee' : 'spend'
    const entry = out.find((item) => item.asset === effect.asset && item.kind === kind)
    if (entry === undefined) out.push({ asset: effect.asset, amount: effect.amount, kind })
    else entry.amount += effect.amount
  }
  return out
}

/** Prices every reservation; the total stays undefined if one of them has no price. */
function price(e: Evaluation, reservations: ToReserve[]): void {
  const prices = e.context.prices
  if (prices === undefined) {
    for (let i = 0; i < reservations.length; i++) e.spendUsd.push(undefined)
    if (reservations.length > 0) {
      e.usd = undefined
      e.unpriced = reservations[0]!.asset
    }
    return
  }
  let total: bigint | undefined = 0n
  for (const item of reservations) {
    const quote = quoteOf(prices, item.asset)
    const usd = quote === undefined ? undefined : usdMicros(item.amount, quote)
    e.spendUsd.push(usd)
    if (usd === undefined) {
      total = undefined
      e.unpriced ??= item.asset
    } else if (total !== undefined) {
      total += usd
    }
  }
  e.usd = total
}

/** A price source that throws is a price source without this price: the USD rules then fail closed. */
function quoteOf(prices: PriceSource, asset: string) {
  try {
    return prices(asset)
  } catch {
    return undefined
  }
}
