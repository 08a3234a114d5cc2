/** The policy decision for one intent: every rule in the fixed order of ARCHITECTURE.md, every failure reported. */
import type { CompiledPolicy } from './CompiledPolicy.ts'
import type { Decision } from './Decision.ts'
import { decodeIntent } from './decodeIntent.ts'
import type { EvaluationContext, PriceSource } from './EvaluationContext.ts'
import type { PolicyIntent } from './PolicyIntent.ts'
import { checkAgent } from './rules/checkAgent.ts'
import { checkApprovals } from './rules/checkApprovals.ts'
import { checkCedar } from './rules/checkCedar.ts'
import { checkChains } from './rules/checkChains.ts'
import { checkContracts } from './rules/checkContracts.ts'
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
 * Evaluates `intent` against `policy`. Pure: no I/O, no clock (context.now), no randomness; never throws for a
 * validated policy. A policy with no rules allows everything (agent status and breakers still apply).
 * @example
 * const usage = emptyUsage() // or what usageRequest(policy, intent) asked the database for
 * const decision = evaluatePolicy(policy, intent, usage, { now: new Date(), agentStatus: 'active', breaker: { tripped: false } })
 * if (decision.outcome === 'deny') console.log(decision.reasons.map((reason) => reason.code))
 */
export function evaluatePolicy(
  policy: CompiledPolicy,
  intent: PolicyIntent,
  usage: Usage,
  context: EvaluationContext,
): Decision {
  const effective = decodeIntent(intent)
  const e: Evaluation = {
    policy,
    intent,
    effective,
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
  price(e)
  const decisionEffective: Decision['effective'] = {
    asset: effective.asset,
    amount: effective.amount.toString(),
    recipient: effective.recipient,
  }
  if (effective.selector !== undefined) decisionEffective.selector = effective.selector
  if (e.usd !== undefined && context.prices !== undefined) decisionEffective.usdMicros = e.usd.toString()

  if (!checkAgent(e)) {
    e.explanation.push({
      rule: '*',
      kind: 'policy',
      result: 'skip',
      detail: 'not evaluated: agent status or breaker',
    })
    return {
      outcome: 'deny',
      reasons: e.reasons,
      reservations: [],
      effective: decisionEffective,
      explanation: e.explanation,
    }
  }
  checkIntent(e)
  checkChains(e)
  checkRecipients(e)
  checkContracts(e)
  checkTimeWindows(e)
  checkPerTransactionLimits(e)
  checkWindowLimits(e)
  checkRateLimits(e)
  checkApprovals(e)
  checkCedar(e)

  if (e.reasons.length > 0) {
    return {
      outcome: 'deny',
      reasons: e.reasons,
      reservations: [],
      effective: decisionEffective,
      explanation: e.explanation,
    }
  }
  const reservations: Decision['reservations'] = []
  effective.spends.forEach((spend, index) => {
    const usd = e.spendUsd[index]
    reservations.push(
      usd === undefined
        ? { asset: spend.asset, amount: spend.amount.toString() }
        : { asset: spend.asset, amount: spend.amount.toString(), usdMicros: usd.toString() },
    )
  })
  if (e.requirements.length === 0) {
    return {
      outcome: 'allow',
      reasons: [],
      reservations,
      effective: decisionEffective,
      explanation: e.explanation,
    }
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
    reservations,
    effective: decisionEffective,
    explanation: e.explanation,
  }
}

/** Prices every asset the intent moves; the total stays undefined if one of them has no price. */
function price(e: Evaluation): void {
  const prices = e.context.prices
  const spends = e.effective.spends
  if (prices === undefined) {
    for (let i = 0; i < spends.length; i++) e.spendUsd.push(undefined)
    if (spends.length > 0) {
      e.usd = undefined
      e.unpriced = spends[0]!.asset
    }
    return
  }
  let total: bigint | undefined = 0n
  for (const spend of spends) {
    const quote = quoteOf(prices, spend.asset)
    const usd = quote === undefined ? undefined : usdMicros(spend.amount, quote)
    e.spendUsd.push(usd)
    if (usd === undefined) {
      total = undefined
      e.unpriced ??= spend.asset
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
