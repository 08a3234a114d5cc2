import { describe, expect, test } from 'vitest'
import { createMemoryRateLimiter } from './createMemoryRateLimiter.ts'

const minute = { limit: 3, windowMs: 60_000 }

/** A clock the test moves by hand: no waiting, no timing. */
function clock(start = 1_000_000) {
  let now = start
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

describe('createMemoryRateLimiter', () => {
  test('allows up to the limit in a window, refuses the next with the time left in the window', async () => {
    const time = clock()
    const limiter = createMemoryRateLimiter({ now: time.now })
    const allowed = []
    for (let i = 0; i < 3; i++) allowed.push((await limiter.hit('k', minute)).allowed)
    expect(allowed).toEqual([true, true, true])
    time.advance(15_000)
    expect(await limiter.hit('k', minute)).toEqual({ allowed: false, retryAfterMs: 45_000 })
  })

  test('a limit equal to the count passes; refused requests still count', async () => {
    const time = clock()
    const limiter = createMemoryRateLimiter({ now: time.now })
    const one = { limit: 1, windowMs: 1000 }
    expect((await limiter.hit('k', one)).allowed).toBe(true)
    expect((await limiter.hit('k', one)).allowed).toBe(false)
    expect((await limiter.hit('k', one)).allowed).toBe(false)
  })

  test('a new window starts when the old one ends', async () => {
    const time = clock()
    const limiter = createMemoryRateLimiter({ now: time.now })
    for (let i = 0; i < 4; i++) await limiter.hit('k', minute)
    time.advance(60_000)
    expect(await limiter.hit('k', minute)).toEqual({ allowed: true, retryAfterMs: 60_000 })
  })

  test('keys have their own budgets', async () => {
    const limiter = createMemoryRateLimiter({ now: clock().now })
    for (let i = 0; i < 4; i++) await limiter.hit('a', minute)
    expect((await limiter.hit('a', minute)).allowed).toBe(false)
    expect((await limiter.hit('b', minute)).allowed).toBe(true)
  })

  test('expired windows are pruned', async () => {
    const time = clock()
    const limiter = createMemoryRateLimiter({ now: time.now })
    for (let i = 0; i < 100; i++) await limiter.hit(`key-${i}`, { limit: 1, windowMs: 1000 })
    expect(limiter.size()).toBe(100)
    time.advance(60_000)
    await limiter.hit('late', minute)
    expect(limiter.size()).toBe(1)
  })

  test('never holds more than maxKeys: the oldest windows are forgotten first', async () => {
    const limiter = createMemoryRateLimiter({ now: clock().now, maxKeys: 10 })
    const one = { limit: 1, windowMs: 60_000 }
    for (let i = 0; i < 10; i++) await limiter.hit(`key-${i}`, one)
    await limiter.hit('key-new', one)
    expect(limiter.size()).toBeLessThanOrEqual(10)
    // The newest keep their count; the oldest start again.
    expect((await limiter.hit('key-9', one)).allowed).toBe(false)
    expect((await limiter.hit('key-0', one)).allowed).toBe(true)
    for (let i = 0; i < 1000; i++) await limiter.hit(`flood-${i}`, one)
    expect(limiter.size()).toBeLessThanOrEqual(10)
  })

  test('close forgets every window', async () => {
    const limiter = createMemoryRateLimiter({ now: clock().now })
    await limiter.hit('k', minute)
    await limiter.close()
    expect(limiter.size()).toBe(0)
  })
})
