/** Approval thresholds: a rule triggers when ALL its conditions hold, and then a human quorum must approve. */
import type { Reason } from '../Decision.ts'
import { formatUsd } from '../usd.ts'
import type { Evaluation } from './Evaluation.ts'
import { spentOf } from './spentOf.ts'

export function checkApprovals(e: Evaluation): void {
  for (const rule of e.policy.approvals) {
    const triggers: Reason[] = []
    let holds = true
    if (rule.asset !== undefined && rule.above !== undefined) {
      const amount = spentOf(e, rule.asset)
      if (amount > rule.above) {
        triggers.push({
          code: 'APPROVAL_AMOUNT_ABOVE',
          rule: rule.rule,
          message: `${amount} of ${rule.asset} is above the approval threshold of ${rule.above}`,
          limit: rule.above.toString(),
          observed: amount.toString(),
          unit: 'base_units',
          asset: rule.asset,
        })
      } else {
        holds = false
      }
    }
    if (holds && rule.aboveUsdMicros !== undefined) {
      const usd = e.usd
      if (usd === undefined) {
        // Unknown value: ask a human rather than guess (a USD limit, if any, denies it anyway).
        const message = `No USD price for ${e.unpriced}; approval required`
        triggers.push({ code: 'PRICE_UNAVAILABLE', rule: rule.rule, message, asset: e.unpriced as string })
      } else if (usd > rule.aboveUsdMicros) {
        triggers.push({
          code: 'APPROVAL_USD_ABOVE',
          rule: rule.rule,
          message: `${formatUsd(usd)} is above the approval threshold of ${formatUsd(rule.aboveUsdMicros)}`,
          limit: rule.aboveUsdMicros.toString(),
          observed: usd.toString(),
          unit: 'usd_micros',
        })
      } else {
        holds = false
      }
    }
    if (holds && rule.newRecipient) {
      const unknown = e.summary.parties.filter((party) => !e.usage.knownRecipients.has(party))
      if (unknown.length === 0) {
        holds = false
      } else {
        const message = `The agent has never paid ${unknown.join(', ')}`
        triggers.push({ code: 'APPROVAL_NEW_RECIPIENT', rule: rule.rule, message })
      }
    }
    if (holds && rule.selectors !== undefined) {
      const selector = e.intent.selectors.find((candidate) => rule.selectors?.has(candidate))
      if (selector !== undefined) {
        triggers.push({
          code: 'APPROVAL_SELECTOR',
          rule: rule.rule,
          message: `Calls to ${selector} need approval`,
        })
      } else {
        holds = false
      }
    }
    if (!holds) {
      e.explanation.push({ rule: rule.rule, kind: 'approval', result: 'pass' })
      continue
    }
    for (const trigger of triggers) e.triggers.push(trigger)
    e.requirements.push({ rule: rule.rule, approvers: rule.approvers.slice(), quorum: rule.quorum })
    const detail = `${rule.quorum} of ${rule.approvers.join(', ')}`
    e.explanation.push({ rule: rule.rule, kind: 'approval', result: 'approval', detail })
  }
}
