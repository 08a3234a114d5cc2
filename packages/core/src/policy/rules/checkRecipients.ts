/**
 * Recipient denylist (every party and the transaction target; beats the allowlist), then allowlist (every party that
 * receives or is granted something must be on it: a transaction that pays two parties pays each of them).
 */
import type { Evaluation } from './Evaluation.ts'

export function checkRecipients(e: Evaluation): void {
  const { recipientDeny, recipientAllow } = e.policy
  const { parties } = e.summary
  let denied = false
  if (recipientDeny !== undefined) {
    // The target too: calling or paying through a denylisted contract is as bad as paying it.
    const hits = [...parties, e.intent.target].filter(
      (party, index, all) => recipientDeny.values.has(party) && all.indexOf(party) === index,
    )
    if (hits.length === 0) {
      e.explanation.push({ rule: recipientDeny.rule, kind: 'recipients.deny', result: 'pass' })
    } else {
      denied = true
      for (const hit of hits) {
        const message = `${hit} is on the recipient denylist`
        e.reasons.push({ code: 'RECIPIENT_DENYLISTED', rule: recipientDeny.rule, message })
        e.explanation.push({ rule: recipientDeny.rule, kind: 'recipients.deny', result: 'fail', detail: hit })
      }
    }
  }
  if (recipientAllow === undefined) return
  if (denied) {
    e.explanation.push({
      rule: recipientAllow.rule,
      kind: 'recipients.allow',
      result: 'skip',
      detail: 'denylisted',
    })
    return
  }
  const outside = parties.filter((party) => !recipientAllow.values.has(party))
  if (outside.length === 0) {
    e.explanation.push({ rule: recipientAllow.rule, kind: 'recipients.allow', result: 'pass' })
    return
  }
  for (const party of outside) {
    const message = `${party} is not on the recipient allowlist`
    e.reasons.push({ code: 'RECIPIENT_NOT_ALLOWLISTED', rule: recipientAllow.rule, message })
    e.explanation.push({ rule: recipientAllow.rule, kind: 'recipients.allow', result: 'fail', detail: party })
  }
}
