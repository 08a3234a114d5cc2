/**
 * The RPC endpoints of one EVM network behind one request function: in configured order, each with its own timeout
 * and circuit breaker, its chain id checked before first use and periodically; failover on transport failures only.
 */
import type { EvmNetwork } from '@bursar/core/networks'
import { type Hex, hexToNumber, http } from 'viem'
import { isTransportError, rpcUnavailableError } from '../errors/rpcUnavailableError.ts'
import { backoffDelay } from './backoffDelay.ts'
import { type CircuitBreaker, createCircuitBreaker } from './createCircuitBreaker.ts'
import { gatewayStatus, isEndpointFailure } from './isEndpointFailure.ts'
import { transportFailure } from './transportFailure.ts'

/**
 * Where the pool reports endpoint trouble. Fields name the network and the endpoint's index, never its URL.
 * For pino: `(level, message, fields) => logger[level](fields, message)`.
 */
export type RpcLog = (
  level: 'error' | 'warn' | 'info',
  message: string,
  fields: Record<string, unknown>,
) => void

export type EndpointPoolOptions = {
  /** Per request and per endpoint. Default 10 s. */
  timeoutMs?: number
  /** Rounds over all endpoints after the first, with jittered exponential backoff. Default 2. */
  retryCount?: number
  /** Backoff before the first retry round (before jitter), doubling each round up to 5 s. Default 150 ms. */
  retryDelayMs?: number
  /** Consecutive transport failures that open an endpoint's circuit breaker. Default 3. */
  failureThreshold?: number
  /** How long an open breaker skips its endpoint before one probe request. Default 10 s. */
  coolDownMs?: number
  /** How often every endpoint's chain id is read again (a health check too); 0: never. Default 60 s. */
  chainCheckIntervalMs?: number
  /** Default: warnings and errors as JSON lines on stderr. */
  log?: RpcLog
}

/** One endpoint as operators may see it: never its URL, which may carry credentials. */
export type EndpointStatus = {
  /** Its position in the network's `rpcUrls`, from 0 (messages number endpoints from 1: "RPC #1"). */
  index: number
  /**
   * healthy: in service; unverified: its chain id not read yet (it is before its first use); circuit_open: skipped
   * after repeated transport failures; half_open: cooled down, the next request probes it; wrong_chain: it reported
   * another chain id and stays out of service until it reports the configured one.
   */
  status: 'healthy' | 'unverified' | 'circuit_open' | 'half_open' | 'wrong_chain'
  consecutiveFailures: number
  /** Why its last request failed ('ECONNREFUSED', 'timeout', 'http_503', …); null if none has. */
  lastError: string | null
  /** The chain id it reported last; null before it has. */
  reportedChainId: number | null
}

export type EndpointPool = {
  /** Sends one JSON-RPC request; a node's JSON-RPC error is thrown as it came, never retried elsewhere. */
  request(args: { method: string; params?: unknown }): Promise<unknown>
  /** The state of every endpoint, in configured order. */
  endpoints(): EndpointStatus[]
  /** Reads every endpoint's chain id now (what the periodic check runs), then returns their state. */
  checkEndpoints(): Promise<EndpointStatus[]>
  /** Stops the periodic check. Requests still work. */
  close(): void
}

type Endpoint = {
  index: number
  send(args: { method: string; params?: unknown }): Promise<unknown>
  breaker: CircuitBreaker
  chain: 'unverified' | 'verified' | 'wrong'
  reportedChainId: number | null
  lastError: string | null
  lastFailure: { error: unknown; at: number } | undefined
  verifying: Promise<Verification> | undefined
}

type Verification = 'verified' | 'wrong' | { failure: unknown }

const maxRetryDelayMs = 5_000

const stderrLog: RpcLog = (level, message, fields) => {
  if (level !== 'info') console.error(JSON.stringify({ level, msg: message, ...fields }))
}

/**
 * @example
 * const pool = createEndpointPool(network, { log: (level, message, fields) => logger[level](fields, message) })
 * const transport = endpointPoolTransport(pool)
 * pool.endpoints() // [{ index: 0, status: 'healthy', consecutiveFailures: 0, lastError: null, reportedChainId: 8453 }, …]
 */
export function createEndpointPool(network: EvmNetwork, options: EndpointPoolOptions = {}): EndpointPool {
  const retryCount = options.retryCount ?? 2
  const backoff = { baseMs: options.retryDelayMs ?? 150, maxMs: maxRetryDelayMs }
  const log = options.log ?? stderrLog
  const breakerOptions = {
    failureThreshold: options.failureThreshold ?? 3,
    coolDownMs: options.coolDownMs ?? 10_000,
  }

  const endpoints: Endpoint[] = network.rpcUrls.map((url, index) => {
    // Batching folds the many small calls of concurrent intents (call, estimate, balance) into few HTTP requests.
    const transport = http(url, {
      timeout: options.timeoutMs ?? 10_000,
      retryCount: 0,
      batch: { batchSize: 64, wait: 0 },
    })({ retryCount: 0 })
    return {
      index,
      send: (args) => transport.request(args as never),
      breaker: createCircuitBreaker(breakerOptions),
      chain: 'unverified',
      reportedChainId: null,
      lastError: null,
      lastFailure: undefined,
      verifying: undefined,
    }
  })

  const fields = (endpoint: Endpoint, more: Record<string, unknown> = {}) => ({
    network: network.name,
    endpoint: endpoint.index,
    ...more,
  })
  const name = (endpoint: Endpoint) => `RPC #${endpoint.index + 1} of network ${network.name}`

  const succeeded = (endpoint: Endpoint) => {
    if (endpoint.breaker.recordSuccess()) log('info', `${name(endpoint)} answers again`, fields(endpoint))
  }
  const failed = (endpoint: Endpoint, error: unknown) => {
    const now = Date.now()
    const reason = String(rpcUnavailableError(network, error).details.reason)
    endpoint.lastError = reason
    endpoint.lastFailure = { error, at: now }
    if (endpoint.breaker.recordFailure(now)) {
      const count = endpoint.breaker.consecutiveFailures
      log(
        'warn',
        `${name(endpoint)} failed ${count === 1 ? 'once' : `${count} times in a row`} (${reason}): skipped for ${breakerOptions.coolDownMs} ms`,
        fields(endpoint, { reason, consecutiveFailures: count }),
      )
    }
  }

  const recordChainId = (endpoint: Endpoint, reported: number) => {
    endpoint.reportedChainId = reported
    const more = { configuredChainId: network.chainId, reportedChainId: reported }
    if (reported === network.chainId) {
      if (endpoint.chain === 'wrong') {
        log(
          'warn',
          `${name(endpoint)} reports chain id ${reported} again: back in service`,
          fields(endpoint, more),
        )
      }
      endpoint.chain = 'verified'
      return
    }
    if (endpoint.chain !== 'wrong') {
      // A node of another chain would be sent transactions signed for this one, and answer reads about another state.
      log(
        'error',
        `${name(endpoint)} reports chain id ${reported}, not the configured ${network.chainId}: taken out of service`,
        fields(endpoint, more),
      )
    }
    endpoint.chain = 'wrong'
  }

  const readChainId = async (endpoint: Endpoint): Promise<Verification> => {
    try {
      const reported = hexToNumber((await endpoint.send({ method: 'eth_chainId' })) as Hex)
      succeeded(endpoint)
      recordChainId(endpoint, reported)
      return endpoint.chain === 'verified' ? 'verified' : 'wrong'
    } catch (error) {
      // A node that cannot say which chain it serves is not one to use either.
      const failure = isEndpointFailure(error)
        ? asTransportFailure(error)
        : transportFailure({ reason: 'chain_id_unreadable', cause: error })
      failed(endpoint, failure)
      return { failure }
    }
  }

  // One read at a time per endpoint: the requests waiting for it share its answer, and its failure counts once.
  const verify = (endpoint: Endpoint): Promise<Verification> => {
    if (endpoint.verifying === undefined) {
      const running = readChainId(endpoint)
      endpoint.verifying = running
      void running.finally(() => {
        if (endpoint.verifying === running) endpoint.verifying = undefined
      })
    }
    return endpoint.verifying
  }

  const statusOf = (endpoint: Endpoint): EndpointStatus['status'] => {
    if (endpoint.chain === 'wrong') return 'wrong_chain'
    const state = endpoint.breaker.state(Date.now())
    if (state === 'open') return 'circuit_open'
    if (state === 'half_open') return 'half_open'
    return endpoint.chain === 'verified' ? 'healthy' : 'unverified'
  }
  const snapshot = (): EndpointStatus[] =>
    endpoints.map((endpoint) => ({
      index: endpoint.index,
      status: statusOf(endpoint),
      consecutiveFailures: endpoint.breaker.consecutiveFailures,
      lastError: endpoint.lastError,
      reportedChainId: endpoint.reportedChainId,
    }))

  // Nothing could be tried: say why with the freshest failure of an endpoint still in play.
  const unusable = (): unknown => {
    const inPlay = endpoints.filter((endpoint) => endpoint.chain !== 'wrong')
    const latest = inPlay
      .map((endpoint) => endpoint.lastFailure)
      .filter((failure) => failure !== undefined)
      .sort((a, b) => b.at - a.at)[0]
    if (latest !== undefined) return latest.error
    return transportFailure({ reason: inPlay.length === 0 ? 'wrong_chain_id' : 'no_usable_endpoint' })
  }

  const request: EndpointPool['request'] = async (args) => {
    // Reading the chain id is what verification does: it may go to an endpoint not verified yet.
    const needsVerified = args.method !== 'eth_chainId'
    let lastFailure: unknown
    for (let round = 0; ; round++) {
      let tried = false
      for (const endpoint of endpoints) {
        if (endpoint.chain === 'wrong' || !endpoint.breaker.tryAcquire(Date.now())) continue
        tried = true
        if (needsVerified && endpoint.chain !== 'verified') {
          const verification = await verify(endpoint)
          if (verification !== 'verified') {
            if (verification !== 'wrong') lastFailure = verification.failure
            continue
          }
        }
        try {
          const result = await endpoint.send(args)
          succeeded(endpoint)
          return result
        } catch (error) {
          if (!isEndpointFailure(error)) {
            // A live node answered: its words go to the caller unchanged, and no other node is asked.
            succeeded(endpoint)
            throw error
          }
          lastFailure = asTransportFailure(error)
          failed(endpoint, lastFailure)
        }
      }
      if (!tried || round >= retryCount) break
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(round, backoff)))
    }
    throw lastFailure ?? unusable()
  }

  const checkEndpoints = async () => {
    await Promise.all(endpoints.map((endpoint) => verify(endpoint)))
    return snapshot()
  }

  const interval = options.chainCheckIntervalMs ?? 60_000
  const timer = interval > 0 ? setInterval(() => void checkEndpoints(), interval) : undefined
  // A check never keeps a process alive that is otherwise done.
  timer?.unref()

  return {
    request,
    endpoints: snapshot,
    checkEndpoints,
    close: () => clearInterval(timer),
  }
}

// Gateway answers (HTTP 429/5xx with a JSON-RPC body) become failures the adapter reports as RPC_UNAVAILABLE.
function asTransportFailure(error: unknown): unknown {
  if (isTransportError(error)) return error
  return transportFailure({ reason: 'gateway_error', status: gatewayStatus(error), cause: error })
}
