/** Usage of an agent with no history: nothing spent, nothing submitted, no known recipient (dry runs, tests). */
import type { Usage } from './Usage.ts'

/** @example evaluatePolicy(policy, intent, emptyUsage(), { now: new Date(), agentStatus: 'active', breaker: { tripped: false } }) */
export function emptyUsage(): Usage {
  return {
    spend: new Map(),
    fees: new Map(),
    usdMicros: new Map(),
    counts: new Map(),
    knownRecipients: new Set(),
  }
}
