/** Prometheus metrics, one registry per running Bursar (tests run several in one process). */
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client'

export function createMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  return {
    registry,
    httpRequests: new Histogram({
      name: 'bursar_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    httpRateLimited: new Counter({
      name: 'bursar_http_rate_limited_total',
      help: 'HTTP requests refused with 429 RATE_LIMITED, by scope (credential or address)',
      labelNames: ['scope'],
      registers: [registry],
    }),
    intentsSubmitted: new Counter({
      name: 'bursar_intents_submitted_total',
      help: 'Intents submitted, by policy outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    intentTransitions: new Counter({
      name: 'bursar_intent_transitions_total',
      help: 'Intent status transitions made by the workers',
      labelNames: ['to'],
      registers: [registry],
    }),
    breakerTrips: new Counter({
      name: 'bursar_breaker_trips_total',
      help: 'Circuit breaker trips, by scope and signal',
      labelNames: ['scope', 'signal'],
      registers: [registry],
    }),
    rpcErrors: new Counter({
      name: 'bursar_rpc_errors_total',
      help: 'RPC failures seen by the workers',
      labelNames: ['network'],
      registers: [registry],
    }),
  }
}

export type Metrics = ReturnType<typeof createMetrics>
