/** Custom Cedar rules: a matching forbid denies; with permit rules, one must match; a rule that errors fails closed. */
import { cedarContext } from '../cedar/cedarContext.ts'
import type { Evaluation } from './Evaluation.ts'

const action = { type: 'Action', id: 'submit' }

export function checkCedar(e: Evaluation): void {
  const cedar = e.policy.cedar
  if (cedar === undefined) return
  // The engine answers a failure (never throws) when it cannot decide, and recovers itself; either way: deny.
  const answer = cedar.engine.isAuthorized(
    {
      principal: { type: 'Agent', id: e.intent.agentId },
      action,
      resource: { type: 'Intent', id: e.intent.network },
      context: cedarContext(e),
    },
    cedar.policies,
  )
  if (answer.type === 'failure') {
    failed(e, answer.errors.map((error) => error.message).join('; '))
    return
  }
  const { decision, diagnostics } = answer.response
  const errored = new Map<string, string>()
  for (const error of diagnostics.errors) errored.set(error.policyId, error.error.message)
  const matched = new Set(diagnostics.reason)
  let forbidden = false
  for (const id in cedar.rules) {
    const { rule, effect } = cedar.rules[id]!
    const error = errored.get(id)
    if (effect === 'forbid') {
      if (matched.has(id)) {
        forbidden = true
        e.reasons.push({ code: 'CEDAR_FORBID', rule, message: `Cedar rule "${id}" forbids this intent` })
        e.explanation.push({ rule, kind: 'cedar.forbid', result: 'fail' })
      } else if (error !== undefined) {
        forbidden = true
        const message = `Cedar rule "${id}" could not be evaluated (${error}); denied to be safe`
        e.reasons.push({ code: 'CEDAR_ERROR', rule, message })
        e.explanation.push({ rule, kind: 'cedar.forbid', result: 'fail', detail: error })
      } else {
        e.explanation.push({ rule, kind: 'cedar.forbid', result: 'pass' })
      }
    } else {
      const result = matched.has(id) ? 'pass' : 'skip'
      e.explanation.push(
        error === undefined
          ? { rule, kind: 'cedar.permit', result }
          : { rule, kind: 'cedar.permit', result, detail: error },
      )
    }
  }
  if (decision === 'deny' && !forbidden) {
    const message = 'No Cedar permit rule matched this intent'
    e.reasons.push({ code: 'CEDAR_NOT_PERMITTED', rule: '$.cedar', message })
  }
}

function failed(e: Evaluation, why: string): void {
  const message = `Cedar rules could not be evaluated (${why}); denied to be safe`
  e.reasons.push({ code: 'CEDAR_ERROR', rule: '$.cedar', message })
  e.explanation.push({ rule: '$.cedar', kind: 'cedar', result: 'fail', detail: message })
}
