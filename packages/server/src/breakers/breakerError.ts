/** The API error for an intent blocked by a tripped breaker: which one, and why. */
import { BursarError } from '@bursar/core/errors'

export function breakerError(breaker: { scope: 'agent' | 'global'; reason: string | null }): BursarError {
  return breaker.scope === 'global'
    ? new BursarError(
        'SYSTEM_HALTED',
        'Bursar is halted: no intent is accepted or signed until an owner resets the global breaker',
        {
          details: { scope: 'global', reason: breaker.reason },
        },
      )
    : new BursarError('AGENT_FROZEN', "the agent's circuit breaker is tripped; an owner must reset it", {
        details: { scope: 'agent', reason: breaker.reason },
      })
}
