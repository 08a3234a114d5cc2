import { expect, test } from 'vitest'
import { createCircuitBreaker } from './createCircuitBreaker.ts'

const options = { failureThreshold: 3, coolDownMs: 1_000 }

test('opens after the threshold of consecutive failures, not before', () => {
  const breaker = createCircuitBreaker(options)
  expect(breaker.recordFailure(0)).toBe(false)
  expect(breaker.recordFailure(0)).toBe(false)
  expect(breaker.tryAcquire(0)).toBe(true)
  expect(breaker.recordFailure(10)).toBe(true)
  expect(breaker.state(10)).toBe('open')
  expect(breaker.tryAcquire(500)).toBe(false)
  expect(breaker.consecutiveFailures).toBe(3)
})

test('an answer in between resets the count', () => {
  const breaker = createCircuitBreaker(options)
  breaker.recordFailure(0)
  breaker.recordFailure(0)
  expect(breaker.recordSuccess()).toBe(false)
  breaker.recordFailure(0)
  expect(breaker.state(0)).toBe('closed')
  expect(breaker.consecutiveFailures).toBe(1)
})

test('after the cool-down exactly one probe goes through; its success closes the breaker', () => {
  const breaker = createCircuitBreaker(options)
  for (let i = 0; i < 3; i++) breaker.recordFailure(0)
  expect(breaker.state(1_000)).toBe('half_open')
  expect(breaker.tryAcquire(1_000)).toBe(true)
  expect(breaker.tryAcquire(1_001)).toBe(false)
  expect(breaker.recordSuccess()).toBe(true)
  expect(breaker.state(1_001)).toBe('closed')
  expect(breaker.tryAcquire(1_001)).toBe(true)
})

test('a failed probe opens it again for another cool-down', () => {
  const breaker = createCircuitBreaker(options)
  for (let i = 0; i < 3; i++) breaker.recordFailure(0)
  expect(breaker.tryAcquire(1_000)).toBe(true)
  expect(breaker.recordFailure(1_200)).toBe(false)
  expect(breaker.state(2_100)).toBe('open')
  expect(breaker.tryAcquire(2_100)).toBe(false)
  expect(breaker.tryAcquire(2_200)).toBe(true)
})
