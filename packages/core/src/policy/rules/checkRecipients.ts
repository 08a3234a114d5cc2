/** Recipient denylist (checked against the recipient and the transaction target; beats the allowlist), then allowlist. */
import type { Evaluation } from './Evaluation.ts'

export function checkRecipients(e: Evaluation): void {
  const { recipientDeny, recipientAllow } = e.policy
  const { recipient, target } = e.effective
  let denied = false
  if (recipientDeny !== undefined) {
    // The target too: calling or paying through a denylisted contract is as bad as paying it.
    const hit = recipientDeny.values.has(recipient)
      ? recipient
      : recipientDeny.values.has(target)
        ? target
        : undefined
    if (hit === undefined) {
      e.explanation.push({ rule: recipientDeny.rule, kind: 'recipients.deny', result: 'pass' })
    } else {
      denied = true
      const message = `${hit} is on the recipient denylist`
      e.reasons.push({ code: 'RECIPIENT_DENYLISTED', rule: recipientDeny.rule, message })
      e.explanation.push({ rule: recipientDeny.rule, kind: 'recipients.deny', result: 'fail', detail: hit })
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
  } else if (recipientAllow.values.has(recipient)) {
    e.explanation.push({ rule: recipientAllow.rule, kind: 'recipients.allow', result: 'pass' })
  } else {
    const message = `${recipient} is not on the recipient allowlist`
    e.reasons.push({ code: 'RECIPIENT_NOT_ALLOWLISTED', rule: recipientAllow.rule, message })
    e.explanation.push({
      rule: recipientAllow.rule,
      kind: 'recipients.allow',
      result: 'fail',
      detail: recipient,
    })
  }
}
