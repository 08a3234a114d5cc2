/** Turns an owner's time window into minute-of-week intervals, splitting windows that wrap past midnight. */
import { weekdays } from './policyDocumentSchema.ts'

const minutesPerDay = 1440
const minutesPerWeek = 7 * minutesPerDay

/** "HH" or "HH:MM" → minutes since midnight (24:00 → 1440). */
export function minutesOfDay(time: string): number {
  const [hours = '0', minutes = '0'] = time.split(':')
  return Number(hours) * 60 + Number(minutes)
}

/**
 * Flat [start, end, start, end, …] half-open intervals in minutes since Monday 00:00 UTC.
 * `days` name the day a window starts on: Monday 22:00–06:00 covers Monday 22:00 to Tuesday 06:00; Sunday's wraps to Monday.
 * A window whose start equals its end is empty.
 */
export function compileTimeWindow(window: {
  days?: ReadonlyArray<(typeof weekdays)[number]> | undefined
  start: string
  end: string
}): number[] {
  const start = minutesOfDay(window.start)
  const end = minutesOfDay(window.end)
  const intervals: number[] = []
  for (const day of window.days ?? weekdays) {
    const base = weekdays.indexOf(day) * minutesPerDay
    if (start < end) {
      intervals.push(base + start, base + end)
    } else if (start > end) {
      intervals.push(base + start, base + minutesPerDay)
      const next = (base + minutesPerDay) % minutesPerWeek
      if (end > 0) intervals.push(next, next + end)
    }
  }
  return intervals
}
