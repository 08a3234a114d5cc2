/** Checks that a transfer's labels match what it would sign, and that ERC-20 calldata decodes. */
import type { Evaluation } from './Evaluation.ts'

export function checkIntent(e: Evaluation): void {
  const { intent, effective } = e
  if (effective.malformed !== undefined) {
    e.reasons.push({ code: 'CALLDATA_MALFORMED', rule: 'intent.data', message: effective.malformed })
    e.explanation.push({ rule: 'intent.data', kind: 'intent', result: 'fail', detail: effective.malformed })
  }
  if (intent.value < 0n || intent.amount < 0n) {
    const message = 'Negative value or amount'
    e.reasons.push({ code: 'INTENT_INCONSISTENT', rule: 'intent', message })
    e.explanation.push({ rule: 'intent', kind: 'intent', result: 'fail', detail: message })
    return
  }
  // A transfer's asset/amount/recipient are what people read and what the server stores; if they differ from the
  // bytes, someone is being misled. Calls are raw by nature: their labels are informative and the bytes win silently.
  const mismatch =
    intent.asset.toLowerCase() !== effective.asset
      ? 'asset'
      : intent.amount !== effective.amount
        ? 'amount'
        : intent.recipient.toLowerCase() !== effective.recipient
          ? 'recipient'
          : undefined
  if (mismatch === undefined) {
    e.explanation.push({ rule: 'intent', kind: 'intent', result: 'pass' })
  } else if (intent.type === 'transfer') {
    const message = `The transfer's ${mismatch} does not match what its transaction moves`
    e.reasons.push({ code: 'INTENT_INCONSISTENT', rule: 'intent', message })
    e.explanation.push({ rule: 'intent', kind: 'intent', result: 'fail', detail: message })
  } else {
    e.explanation.push({
      rule: 'intent',
      kind: 'intent',
      result: 'pass',
      detail: `submitted ${mismatch} replaced by calldata`,
    })
  }
}
