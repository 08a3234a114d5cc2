/** Chain allowlist: the intent's network must be listed. */
import type { Evaluation } from './Evaluation.ts'

export function checkChains(e: Evaluation): void {
  const chains = e.policy.chains
  if (chains === undefined) return
  if (chains.values.has(e.intent.network)) {
    e.explanation.push({ rule: chains.rule, kind: 'chains', result: 'pass' })
    return
  }
  const message = `Network "${e.intent.network}" is not in the chain allowlist`
  e.reasons.push({ code: 'CHAIN_NOT_ALLOWED', rule: chains.rule, message })
  e.explanation.push({ rule: chains.rule, kind: 'chains', result: 'fail', detail: e.intent.network })
}
