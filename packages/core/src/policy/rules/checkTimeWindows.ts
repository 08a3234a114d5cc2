/** Time windows (UTC): the intent must fall inside at least one window. */
import type { Evaluation } from './Evaluation.ts'

export function checkTimeWindows(e: Evaluation): void {
  const timeWindows = e.policy.timeWindows
  if (timeWindows === undefined) return
  const now = e.context.now
  const minute = ((now.getUTCDay() + 6) % 7) * 1440 + now.getUTCHours() * 60 + now.getUTCMinutes()
  for (const window of timeWindows.windows) {
    const intervals = window.intervals
    for (let i = 0; i < intervals.length; i += 2) {
      if (minute >= intervals[i]! && minute < intervals[i + 1]!) {
        e.explanation.push({
          rule: timeWindows.rule,
          kind: 'timeWindows',
          result: 'pass',
          detail: `inside ${window.rule}`,
        })
        return
      }
    }
  }
  const message = `${now.toISOString()} is outside every allowed time window (UTC)`
  e.reasons.push({ code: 'OUTSIDE_TIME_WINDOW', rule: timeWindows.rule, message })
  e.explanation.push({
    rule: timeWindows.rule,
    kind: 'timeWindows',
    result: 'fail',
    detail: now.toISOString(),
  })
}
