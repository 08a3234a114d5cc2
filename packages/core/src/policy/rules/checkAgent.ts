/** Agent status and circuit breakers: checked first, and when they fail nothing else is evaluated. */
import type { Evaluation } from './Evaluation.ts'

/** Returns false when the intent is denied here and evaluation must stop. */
export function checkAgent(e: Evaluation): boolean {
  const { agentStatus, breaker } = e.context
  if (agentStatus === 'active') {
    e.explanation.push({ rule: 'agent.status', kind: 'agent', result: 'pass' })
  } else {
    const code = agentStatus === 'paused' ? 'AGENT_PAUSED' : 'AGENT_DELETED'
    e.reasons.push({ code, rule: 'agent.status', message: `The agent is ${agentStatus}` })
    e.explanation.push({ rule: 'agent.status', kind: 'agent', result: 'fail', detail: agentStatus })
  }
  if (breaker.tripped) {
    const scope = breaker.scope ?? 'agent'
    const why = breaker.reason === undefined ? '' : `: ${breaker.reason}`
    e.reasons.push({
      code: 'BREAKER_TRIPPED',
      rule: 'breaker',
      message: `The ${scope} circuit breaker is tripped${why}`,
    })
    e.explanation.push({ rule: 'breaker', kind: 'breaker', result: 'fail', detail: scope })
  } else {
    e.explanation.push({ rule: 'breaker', kind: 'breaker', result: 'pass' })
  }
  return e.reasons.length === 0
}
