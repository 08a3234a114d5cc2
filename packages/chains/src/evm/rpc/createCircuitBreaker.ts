/** The circuit breaker of one RPC endpoint: after repeated transport failures it is skipped for a while. */

export type CircuitBreakerOptions = {
  /** Consecutive failures that open the breaker. */
  failureThreshold: number
  /** How long an open breaker skips its endpoint before one probe request may try it again. */
  coolDownMs: number
}

/** closed: in use; open: skipped; half_open: cooled down, the next request (one at a time) probes it. */
type CircuitState = 'closed' | 'open' | 'half_open'

export type CircuitBreaker = {
  readonly consecutiveFailures: number
  state(now: number): CircuitState
  /** Whether a request may go to the endpoint now; in half_open only the first caller gets true (the probe). */
  tryAcquire(now: number): boolean
  /** The endpoint answered (a JSON-RPC error counts: the node is alive). Returns true when this closed it. */
  recordSuccess(): boolean
  /** The path to the endpoint failed. Returns true when this opened it. */
  recordFailure(now: number): boolean
}

/**
 * A pure state machine: no timers, no clock of its own; the caller passes `now`.
 *
 * @example
 * const breaker = createCircuitBreaker({ failureThreshold: 3, coolDownMs: 10_000 })
 * if (breaker.tryAcquire(Date.now())) send().then(() => breaker.recordSuccess(), () => breaker.recordFailure(Date.now()))
 */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  let failures = 0
  let openedAt: number | undefined
  let probing = false
  const cooled = (now: number) => openedAt !== undefined && now - openedAt >= options.coolDownMs
  return {
    get consecutiveFailures() {
      return failures
    },
    state(now) {
      if (openedAt === undefined) return 'closed'
      return probing || cooled(now) ? 'half_open' : 'open'
    },
    tryAcquire(now) {
      if (openedAt === undefined) return true
      if (probing || !cooled(now)) return false
      probing = true
      return true
    },
    recordSuccess() {
      const wasOpen = openedAt !== undefined
      failures = 0
      openedAt = undefined
      probing = false
      return wasOpen
    },
    recordFailure(now) {
      failures++
      const wasOpen = openedAt !== undefined
      // A failed probe, or a failure while open, starts the cool-down again.
      if (wasOpen || failures >= options.failureThreshold) {
        openedAt = now
        probing = false
      }
      return !wasOpen && openedAt !== undefined
    },
  }
}
