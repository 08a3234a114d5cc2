/**
 * Custom Cedar rules: a matching forbid denies; with permit rules, one must match; a rule that errors fails closed.
 * The rules run once per movement of value (cedarViews), so a rule about `asset` or `recipient` holds for each
 * effect and none can hide behind a decoy.
 */
import type { Context } from '@cedar-policy/cedar-wasm'
import { type CedarView, cedarContext, cedarViews } from '../cedar/cedarContext.ts'
import type { Evaluation } from './Evaluation.ts'

const action = { type: 'Action', id: 'submit' }

type RuleOutcome = { matched: boolean; error: string | undefined }

/** What a rule did across the movements: how many it matched, the first of them, and its first error. */
type RuleSummary = { matched: CedarView[]; error: string | undefined }

export function checkCedar(e: Evaluation): void {
  const cedar = e.policy.cedar
  if (cedar === undefined) return
  const views = cedarViews(e)
  const summaries = new Map<string, RuleSummary>()
  const unpermitted: CedarView[] = []
  for (const { context, views: same } of distinctContexts(e, views)) {
    const result = evaluateContext(e, context)
    if (typeof result === 'string') {
      failed(e, result)
      return
    }
    if (result.denied && !result.forbidden) unpermitted.push(...same)
    for (const [id, outcome] of result.rules) {
      const summary = summaries.get(id) ?? { matched: [], error: undefined }
      if (outcome.matched) summary.matched.push(...same)
      summary.error ??= outcome.error
      summaries.set(id, summary)
    }
  }
  for (const id in cedar.rules) {
    const { rule, effect } = cedar.rules[id]!
    const { matched, error } = summaries.get(id) ?? { matched: [], error: undefined }
    if (effect === 'forbid') {
      if (matched.length > 0) {
        e.reasons.push({ code: 'CEDAR_FORBID', rule, message: `Cedar rule "${id}" forbids this intent` })
        e.explanation.push({
          rule,
          kind: 'cedar.forbid',
          result: 'fail',
          detail: `matched ${describe(matched[0]!)}`,
        })
      } else if (error !== undefined) {
        const message = `Cedar rule "${id}" could not be evaluated (${error}); denied to be safe`
        e.reasons.push({ code: 'CEDAR_ERROR', rule, message })
        e.explanation.push({ rule, kind: 'cedar.forbid', result: 'fail', detail: error })
      } else {
        e.explanation.push({ rule, kind: 'cedar.forbid', result: 'pass' })
      }
    } else {
      // A permit passes only for the movements it matched: when another movement went unpermitted it did not
      // permit the intent, so it does not claim to.
      const all = matched.length === views.length
      const result = matched.length > 0 && (all || unpermitted.length === 0) ? 'pass' : 'skip'
      const notes: string[] = []
      if (matched.length > 0 && !all)
        notes.push(`matched ${matched.length} of ${views.length} movements of value`)
      if (error !== undefined) notes.push(error)
      e.explanation.push(
        notes.length === 0
          ? { rule, kind: 'cedar.permit', result }
          : { rule, kind: 'cedar.permit', result, detail: notes.join('; ') },
      )
    }
  }
  if (unpermitted.length > 0) {
    const message = `No Cedar permit rule matched ${describe(unpermitted[0]!)}${unpermitted.length > 1 ? ` (nor ${unpermitted.length - 1} other movements)` : ''}; every movement of value must be permitted`
    e.reasons.push({ code: 'CEDAR_NOT_PERMITTED', rule: '$.cedar', message })
    const times = new Map<string, number>()
    for (const view of unpermitted) times.set(describe(view), (times.get(describe(view)) ?? 0) + 1)
    for (const [movement, count] of times) {
      const detail = `no permit rule matched ${movement}${count > 1 ? ` (${count} such movements)` : ''}`
      e.explanation.push({ rule: '$.cedar', kind: 'cedar.permit', result: 'fail', detail })
    }
  }
}

/**
 * The views grouped by the context Cedar would see: movements whose contexts are identical (the rules mention none
 * of the fields that tell them apart) get the same answer, so each context is decided once.
 */
function distinctContexts(
  e: Evaluation,
  views: CedarView[],
): Array<{ context: Context; views: CedarView[] }> {
  const groups = new Map<string, { context: Context; views: CedarView[] }>()
  for (const view of views) {
    const context = cedarContext(e, view)
    // The context holds plain JSON values only, built in a fixed field order: equal text means equal context.
    const key = JSON.stringify(context)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, { context, views: [view] })
    else group.views.push(view)
  }
  return [...groups.values()]
}

/** One Cedar request; a string when the engine could not decide at all. */
function evaluateContext(
  e: Evaluation,
  context: Context,
): string | { denied: boolean; forbidden: boolean; rules: Map<string, RuleOutcome> } {
  const cedar = e.policy.cedar!
  // The engine answers a failure (never throws) when it cannot decide, and recovers itself; either way: deny.
  const answer = cedar.engine.isAuthorized(
    {
      principal: { type: 'Agent', id: e.intent.agentId },
      action,
      resource: { type: 'Intent', id: e.intent.network },
      context,
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

/** A movement as a person reads it: "the approval of 5 anvil:0x… to 0x…". */
function describe(view: CedarView): string {
  const what = view.tokenFunction === 'approve' ? 'the approval of' : 'the movement of'
  return `${what} ${view.amount} ${view.asset} to ${view.recipient}`
}

function failed(e: Evaluation, why: string): void {
  const message = `Cedar rules could not be evaluated (${why}); denied to be safe`
  e.reasons.push({ code: 'CEDAR_ERROR', rule: '$.cedar', message })
  e.explanation.push({ rule: '$.cedar', kind: 'cedar', result: 'fail', detail: message })
}
