/** Checks that calldata decodes and that a transfer's labels match what its transaction moves. */
import type { Evaluation } from './Evaluation.ts'

export function checkIntent(e: Evaluation): void {
  const { intent } = e
  if (intent.malformed !== undefined) {
    e.reasons.push({ code: 'CALLDATA_MALFORMED', rule: 'intent.data', message: intent.malformed })
    e.explanation.push({ rule: 'intent.data', kind: 'intent', result: 'fail', detail: intent.malformed })
  }
  if (intent.value < 0n || intent.effects.some((effect) => effect.amount < 0n)) {
    const message = 'Negative value or amount'
    e.reasons.push({ code: 'INTENT_INCONSISTENT', rule: 'intent', message })
    e.explanation.push({ rule: 'intent', kind: 'intent', result: 'fail', detail: message })
    return
  }
  if (intent.type !== 'transfer') {
    e.explanation.push({
      rule: 'intent',
      kind: 'intent',
      result: 'pass',
      detail: 'a call: its effects are read from the calldata',
    })
    return
  }
  // A transfer's asset/amount/recipient are what people read and what the server stores; if they differ from the
  // bytes, someone is being misled. It must move exactly what it says, to whom it says, and nothing else.
  const moves = intent.effects.filter((effect) => effect.kind !== 'fee')
  const only = moves.length === 1 ? moves[0]! : undefined
  const { submitted } = intent
  const mismatch =
    only === undefined || only.kind !== 'transfer'
      ? 'effects'
      : only.asset !== submitted.asset.toLowerCase()
        ? 'asset'
        : only.amount !== submitted.amount
          ? 'amount'
          : only.to !== submitted.recipient
            ? 'recipient'
            : undefined
  if (mismatch === undefined) {
    e.explanation.push({ rule: 'intent', kind: 'intent', result: 'pass' })
    return
  }
  const message =
    mismatch === 'effects'
      ? 'The transfer does not move exactly one asset to one recipient'
      : `The transfer's ${mismatch} does not match what its transaction moves`
  e.reasons.push({ code: 'INTENT_INCONSISTENT', rule: 'intent', message })
  e.explanation.push({ rule: 'intent', kind: 'intent', result: 'fail', detail: message })
}
