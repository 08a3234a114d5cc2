/** Rate limits: at most `max` intents per rolling window, this one included. */
import type { Evaluation } from './Evaluation.ts'

export function checkRateLimits(e: Evaluation): void {
  for (const limit of e.policy.rateLimits) {
    const count = (e.usage.counts.get(limit.seconds) ?? 0) + 1
    if (count <= limit.max) {
      e.explanation.push({
        rule: limit.rule,
        kind: 'rateLimit',
        result: 'pass',
        detail: `${count} <= ${limit.max}`,
      })
    } else {
      e.reasons.push({
        code: 'RATE_LIMITED',
        rule: limit.rule,
        message: `This would be intent ${count} in the last ${limit.seconds}s; at most ${limit.max} are allowed`,
        limit: String(limit.max),
        observed: String(count),
        unit: 'intents',
      })
      e.explanation.push({
        rule: limit.rule,
        kind: 'rateLimit',
        result: 'fail',
        detail: `${count} > ${limit.max}`,
      })
    }
  }
}
