/** Custom Cedar rules: a matching forbid denies; with permit rules, one must match; a rule that errors fails closed. */
import {
  type AuthorizationAnswer,
  preparsePolicySet,
  statefulIsAuthorized,
} from '@cedar-policy/cedar-wasm/nodejs'
import type { CompiledCedar } from '../CompiledPolicy.ts'
import { cedarContext } from '../cedar/cedarContext.ts'
import type { Evaluation } from './Evaluation.ts'

// cedar-wasm keeps parsed policy sets inside the module; each distinct set is parsed once per process, not per call.
const preparsedByText = new Map<string, string>()
const preparsed = new WeakMap<CompiledCedar, string>()

const action = { type: 'Action', id: 'submit' }

export function checkCedar(e: Evaluation): void {
  const cedar = e.policy.cedar
  if (cedar === undefined) return
  let answer: AuthorizationAnswer
  try {
    answer = statefulIsAuthorized({
      principal: { type: 'Agent', id: e.intent.agentId },
      action,
      resource: { type: 'Intent', id: e.intent.network },
      context: cedarContext(e.policy, e.intent, e.effective, e.usage, e.context.now, e.usd),
      preparsedPolicySetId: policySetId(cedar),
      entities: [],
    })
  } catch (error) {
    // cedar-wasm throws on input it cannot convert; never let that escape as anything but a deny.
    failed(e, error instanceof Error ? error.message : String(error))
    return
  }
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

function policySetId(cedar: CompiledCedar): string {
  let id = preparsed.get(cedar)
  if (id !== undefined) return id
  const text = JSON.stringify(cedar.policies)
  id = preparsedByText.get(text)
  if (id === undefined) {
    id = `bursar-${preparsedByText.size + 1}`
    const parsed = preparsePolicySet(id, { staticPolicies: cedar.policies })
    if (parsed.type === 'failure') throw new Error(parsed.errors.map((error) => error.message).join('; '))
    preparsedByText.set(text, id)
  }
  preparsed.set(cedar, id)
  return id
}
