/**
 * Custom Cedar rules: a matching forbid denies; with permit rules, one must match; a rule that errors fails closed.
 * The rules run once per movement of value (cedarViews), so a rule about `asset` or `recipient` holds for each
 * effect and none can hide behind a decoy.
 */
import { type CedarView, cedarContext, cedarViews } from '../cedar/cedarContext.ts'
import type { Evaluation } from './Evaluation.ts'

const action = { type: 'Action', id: 'submit' }

type RuleOutcome = { matched: boolean; error: string | undefined }

export function checkCedar(e: Evaluation): void {
  const cedar = e.policy.cedar
  if (cedar === undefined) return
  const outcomes = new Map<string, RuleOutcome>()
  let unpermitted = false
  for (const view of cedarViews(e)) {
    const result = evaluateView(e, view)
    if (typeof result === 'string') {
      failed(e, result)
      return
    }
    if (result.denied && !result.forbidden) unpermitted = true
    for (const [id, outcome] of result.rules) {
      const seen = outcomes.get(id)
      outcomes.set(id, {
        matched: (seen?.matched ?? false) || outcome.matched,
        error: seen?.error ?? outcome.error,
      })
    }
  }
  for (const id in cedar.rules) {
    const { rule, effect } = cedar.rules[id]!
    const { matched, error } = outcomes.get(id) ?? { matched: false, error: undefined }
    if (effect === 'forbid') {
      if (matched) {
        e.reasons.push({ code: 'CEDAR_FORBID', rule, message: `Cedar rule "${id}" forbids this intent` })
        e.explanation.push({ rule, kind: 'cedar.forbid', result: 'fail' })
      } else if (error !== undefined) {
        const message = `Cedar rule "${id}" could not be evaluated (${error}); denied to be safe`
        e.reasons.push({ code: 'CEDAR_ERROR', rule, message })
        e.explanation.push({ rule, kind: 'cedar.forbid', result: 'fail', detail: error })
      } else {
        e.explanation.push({ rule, kind: 'cedar.forbid', result: 'pass' })
      }
    } else {
      const result = matched ? 'pass' : 'skip'
      e.explanation.push(
        error === undefined
          ? { rule, kind: 'cedar.permit', result }
          : { rule, kind: 'cedar.permit', result, detail: error },
      )
    }
  }
  if (unpermitted) {
    const message = 'No Cedar permit rule matched this intent (every movement of value must be permitted)'
    e.reasons.push({ code: 'CEDAR_NOT_PERMITTED', rule: '$.cedar', message })
  }
}

/** One Cedar request; a string when the engine could not decide at all. */
function evaluateView(
  e: Evaluation,
  view: CedarView,
): string | { denied: boolean; forbidden: boolean; rules: Map<string, RuleOutcome> } {
  const cedar = e.policy.cedar!
  // The engine answers a failure (never throws) when it cannot decide, and recovers itself; either way: deny.
  const answer = cedar.engine.isAuthorized(
    {
      principal: { type: 'Agent', id: e.intent.agentId },
      action,
      resource: { type: 'Intent', id: e.intent.network },
      context: cedarContext(e, view),
    },
    cedar.policies,
  )
  if (answer.type === 'failure') return answer.errors.map((error) => error.message).join('; ')
  const { decision, diagnostics } = answer.response
  const errored = new Map<string, string>()
  for (const error of diagnostics.errors) errored.set(error.policyId, error.error.message)
  const matched = new Set(diagnostics.reason)
  const rules = new Map<string, RuleOutcome>()
  let forbidden = false
  for (const id in cedar.rules) {
    const outcome = { matched: matched.has(id), error: errored.get(id) }
    if (cedar.rules[id]!.effect === 'forbid' && (outcome.matched || outcome.error !== undefined))
      forbidden = true
    rules.set(id, outcome)
  }
  return { denied: decision === 'deny', forbidden, rules }
}

function failed(e: Evaluation, why: string): void {
  const message = `Cedar rules could not be evaluated (${why}); denied to be safe`
  e.reasons.push({ code: 'CEDAR_ERROR', rule: '$.cedar', message })
  e.explanation.push({ rule: '$.cedar', kind: 'cedar', result: 'fail', detail: message })
}
