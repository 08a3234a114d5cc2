/**
 * Contract rules, for intents with calldata only: allowed targets, blocked and allowed functions (every function a
 * multicall runs included), unlimited approvals, and calls whose effect on a token the engine cannot value.
 */
import type { Evaluation } from './Evaluation.ts'

/** approve() amounts at or above this count as "unlimited": 2^96 - 1 is the cap of Compound-style tokens, and wallets send 2^256 - 1. */
export const unlimitedApprovalThreshold = 2n ** 96n - 1n

export function checkContracts(e: Evaluation): void {
  const { contractAllow, selectorDeny, selectorAllow, forbidUnlimitedApprovals, allowUnvalued } = e.policy
  const { call, target, selectors } = e.intent
  if (call === undefined) {
    if (contractAllow !== undefined) e.explanation.push(skip(contractAllow.rule, 'contracts.allow'))
    if (selectorDeny !== undefined) e.explanation.push(skip(selectorDeny.rule, 'selectors.deny'))
    if (selectorAllow !== undefined) e.explanation.push(skip(selectorAllow.rule, 'selectors.allow'))
    if (forbidUnlimitedApprovals !== undefined)
      e.explanation.push(skip(forbidUnlimitedApprovals, 'approvals.unlimited'))
    return
  }
  if (contractAllow !== undefined) {
    if (contractAllow.values.has(target)) {
      e.explanation.push({ rule: contractAllow.rule, kind: 'contracts.allow', result: 'pass' })
    } else {
      const message = `Contract ${target} is not on the contract allowlist`
      e.reasons.push({ code: 'CONTRACT_NOT_ALLOWED', rule: contractAllow.rule, message })
      e.explanation.push({
        rule: contractAllow.rule,
        kind: 'contracts.allow',
        result: 'fail',
        detail: target,
      })
    }
  }
  let blocked = false
  if (selectorDeny !== undefined) {
    const hits = selectors.filter((selector) => selectorDeny.values.has(selector))
    if (hits.length > 0) {
      blocked = true
      for (const selector of new Set(hits)) {
        const message = `Function ${selector} is blocked`
        e.reasons.push({ code: 'SELECTOR_BLOCKED', rule: selectorDeny.rule, message })
        e.explanation.push({
          rule: selectorDeny.rule,
          kind: 'selectors.deny',
          result: 'fail',
          detail: selector,
        })
      }
    } else {
      e.explanation.push({ rule: selectorDeny.rule, kind: 'selectors.deny', result: 'pass' })
    }
  }
  if (selectorAllow !== undefined) {
    const outside = [...new Set(selectors.filter((selector) => !selectorAllow.values.has(selector)))]
    if (blocked) {
      e.explanation.push({
        rule: selectorAllow.rule,
        kind: 'selectors.allow',
        result: 'skip',
        detail: 'blocked',
      })
    } else if (outside.length === 0) {
      e.explanation.push({ rule: selectorAllow.rule, kind: 'selectors.allow', result: 'pass' })
    } else {
      for (const selector of outside) {
        const message = `Function ${selector || '(none)'} is not on the function allowlist`
        e.reasons.push({ code: 'SELECTOR_NOT_ALLOWED', rule: selectorAllow.rule, message })
        e.explanation.push({
          rule: selectorAllow.rule,
          kind: 'selectors.allow',
          result: 'fail',
          detail: selector,
        })
      }
    }
  }
  if (forbidUnlimitedApprovals !== undefined) {
    const unlimited = e.intent.effects.find(
      (effect) =>
        effect.kind === 'approval' &&
        (effect.unlimited === true || effect.amount >= unlimitedApprovalThreshold),
    )
    if (unlimited !== undefined) {
      e.reasons.push({
        code: 'UNLIMITED_APPROVAL_FORBIDDEN',
        rule: forbidUnlimitedApprovals,
        message: `Unlimited approval of ${unlimited.asset} to ${unlimited.to}${unlimited.via ? ` (${unlimited.via})` : ''} is forbidden`,
        limit: (unlimitedApprovalThreshold - 1n).toString(),
        observed: unlimited.amount.toString(),
        unit: 'base_units',
        asset: unlimited.asset,
      })
      e.explanation.push({ rule: forbidUnlimitedApprovals, kind: 'approvals.unlimited', result: 'fail' })
    } else {
      e.explanation.push({ rule: forbidUnlimitedApprovals, kind: 'approvals.unlimited', result: 'pass' })
    }
  }
  checkUnvalued(e, allowUnvalued?.values)
}

/**
 * Fail closed where it matters: a function the engine cannot value, called on a configured token, on an asset the
 * policy names or the price source prices, or on any contract under onlyListedAssets, could move that value past every limit (ERC-677
 * transferAndCall is how it was done). Denied unless the owner lists the function in contracts.allowUnvalued.
 */
function checkUnvalued(e: Evaluation, allowed: ReadonlySet<string> | undefined): void {
  const { intent, policy } = e
  if (intent.unvalued.length === 0) return
  const asset = `${intent.network}:${intent.target}`
  const why = intent.targetIsToken
    ? `${intent.target} is a token configured on ${intent.network}`
    : policy.namedAssets.has(asset)
      ? `the policy names ${asset}`
      : hasPrice(e, asset)
        ? `${asset} has a price, so it is worth something`
        : policy.onlyListedAssets !== undefined
          ? 'limits.onlyListedAssets is on'
          : undefined
  const rule = '$.contracts.allowUnvalued'
  if (why === undefined) {
    e.explanation.push({ rule, kind: 'contracts.unvalued', result: 'pass', detail: 'no token involved' })
    return
  }
  let failed = false
  for (const { selector, reason } of intent.unvalued) {
    if (allowed?.has(selector)) continue
    failed = true
    e.reasons.push({
      code: 'UNVALUED_CALL',
      rule,
      message: `${reason}; ${why}, so the call is denied unless ${selector} is in contracts.allowUnvalued`,
      asset,
    })
    e.explanation.push({ rule, kind: 'contracts.unvalued', result: 'fail', detail: selector })
  }
  if (!failed)
    e.explanation.push({ rule, kind: 'contracts.unvalued', result: 'pass', detail: 'allowed by the owner' })
}

function hasPrice(e: Evaluation, asset: string): boolean {
  try {
    return e.context.prices?.(asset) !== undefined
  } catch {
    return false
  }
}

function skip(rule: string, kind: string) {
  return { rule, kind, result: 'skip' as const, detail: 'no calldata' }
}
