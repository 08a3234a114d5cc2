/** Contract rules, for intents with calldata only: allowed targets, blocked and allowed functions, unlimited approvals. */
import type { Evaluation } from './Evaluation.ts'

/** approve() amounts at or above this count as "unlimited": 2^96 - 1 is the cap of Compound-style tokens, and wallets send 2^256 - 1. */
export const unlimitedApprovalThreshold = 2n ** 96n - 1n

export function checkContracts(e: Evaluation): void {
  const { contractAllow, selectorDeny, selectorAllow, forbidUnlimitedApprovals } = e.policy
  const { hasData, target, token } = e.effective
  const selector = e.effective.selector ?? ''
  if (!hasData) {
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
    if (selectorDeny.values.has(selector)) {
      blocked = true
      const message = `Function ${selector} is blocked`
      e.reasons.push({ code: 'SELECTOR_BLOCKED', rule: selectorDeny.rule, message })
      e.explanation.push({
        rule: selectorDeny.rule,
        kind: 'selectors.deny',
        result: 'fail',
        detail: selector,
      })
    } else {
      e.explanation.push({ rule: selectorDeny.rule, kind: 'selectors.deny', result: 'pass' })
    }
  }
  if (selectorAllow !== undefined) {
    if (blocked) {
      e.explanation.push({
        rule: selectorAllow.rule,
        kind: 'selectors.allow',
        result: 'skip',
        detail: 'blocked',
      })
    } else if (selectorAllow.values.has(selector)) {
      e.explanation.push({ rule: selectorAllow.rule, kind: 'selectors.allow', result: 'pass' })
    } else {
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
  if (forbidUnlimitedApprovals !== undefined) {
    if (token?.fn === 'approve' && token.amount >= unlimitedApprovalThreshold) {
      e.reasons.push({
        code: 'UNLIMITED_APPROVAL_FORBIDDEN',
        rule: forbidUnlimitedApprovals,
        message: `Unlimited approval of ${target} to ${token.counterparty} is forbidden`,
        limit: (unlimitedApprovalThreshold - 1n).toString(),
        observed: token.amount.toString(),
        unit: 'base_units',
        asset: e.effective.asset,
      })
      e.explanation.push({ rule: forbidUnlimitedApprovals, kind: 'approvals.unlimited', result: 'fail' })
    } else {
      e.explanation.push({ rule: forbidUnlimitedApprovals, kind: 'approvals.unlimited', result: 'pass' })
    }
  }
}

function skip(rule: string, kind: string) {
  return { rule, kind, result: 'skip' as const, detail: 'no calldata' }
}
