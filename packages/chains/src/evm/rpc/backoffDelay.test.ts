import { expect, test } from 'vitest'
import { backoffDelay } from './backoffDelay.ts'

test('backoff doubles per retry within its jitter band and stops at the cap', () => {
  const bounds = { baseMs: 100, maxMs: 1_000 }
  expect([backoffDelay(0, bounds, () => 0), backoffDelay(0, bounds, () => 1)]).toEqual([50, 100])
  expect([backoffDelay(2, bounds, () => 0), backoffDelay(2, bounds, () => 1)]).toEqual([200, 400])
  expect([backoffDelay(10, bounds, () => 0), backoffDelay(10, bounds, () => 1)]).toEqual([500, 1_000])
})
