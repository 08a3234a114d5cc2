/**
 * HTTP rate limits, per credential and per source address: one budget shared through Redis by every instance, or
 * counted in process; 429 RATE_LIMITED with Retry-After; a Redis that is down never turns into a 500.
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BursarConfig, readConfigFile } from '@bursar/server/config'
import { startTestBursar, type TestBursar, testOperatorToken } from '@bursar/testing/bursar'
import { createMemoryChain } from '@bursar/testing/memory-chain'
import { useTestStack } from '@bursar/testing/stack'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

const memory = createMemoryChain()
const chain = {
  anvil: false as const,
  networks: [memory.network],
  families: [{ family: memory.family, signers: memory.signers }],
  executor: false,
}

type Response = Awaited<ReturnType<TestBursar['http']>>

function expectRateLimited(response: Response, scope: 'credential' | 'address', limit: number) {
  expect([response.status, response.body.error.code]).toEqual([429, 'RATE_LIMITED'])
  const retryAfter = Number(response.headers['retry-after'])
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true)
  expect(response.body.error.details).toEqual({
    scope,
    limit,
    window_seconds: 60,
    retry_after_seconds: retryAfter,
  })
}

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('shared through Redis: two instances, one budget per API key', () => {
  // Unique per run: parallel test files and earlier runs never share a count.
  const keyPrefix = `bursar-test:${randomUUID()}:`
  const config: Partial<BursarConfig> = {
    redisUrl,
    rateLimits: {
      perCredential: { requests: 5, windowSeconds: 60 },
      perAddress: false,
      redisKeyPrefix: keyPrefix,
    },
  }
  const stack = useTestStack({ ...chain, config })
  let second: TestBursar
  const redis = new Redis(redisUrl, { lazyConnect: true })

  beforeAll(async () => {
    second = await startTestBursar({ ...chain, db: stack.t.db, config })
  })

  afterAll(async () => {
    await second?.close()
    const keys = await redis.keys(`${keyPrefix}*`)
    if (keys.length > 0) await redis.del(...keys)
    await redis.quit()
  })

  test('the (limit+1)-th request, whichever instance gets it, is refused 429 RATE_LIMITED with Retry-After', async () => {
    const agent = await stack.bursar.createAgent()
    const instances = [stack.bursar, second]
    const statuses = []
    for (let i = 0; i < 5; i++)
      statuses.push((await instances[i % 2]!.http('GET', '/v1/wallets', { token: agent.apiKey })).status)
    expect(statuses).toEqual([200, 200, 200, 200, 200])
    const refused = await second.http('GET', '/v1/wallets', { token: agent.apiKey })
    expectRateLimited(refused, 'credential', 5)
    expectRateLimited(await stack.bursar.http('GET', '/v1/wallets', { token: agent.apiKey }), 'credential', 5)
    // The count lives in Redis under the configured prefix, named by the key's id, never by its secret.
    const keys = await redis.keys(`${keyPrefix}*`)
    expect(keys).toHaveLength(1)
    expect(keys[0]).toMatch(new RegExp(`^${keyPrefix}credential:agent_key:`))
    expect(keys[0]).not.toContain(agent.apiKey)
  })

  test('one key over its limit does not block another key', async () => {
    const spent = await stack.bursar.createAgent()
    const other = await stack.bursar.createAgent()
    for (let i = 0; i < 6; i++) await second.http('GET', '/v1/wallets', { token: spent.apiKey })
    expectRateLimited(await stack.bursar.http('GET', '/v1/wallets', { token: spent.apiKey }), 'credential', 5)
    expect((await stack.bursar.http('GET', '/v1/wallets', { token: other.apiKey })).status).toBe(200)
    expect((await second.http('GET', '/v1/wallets', { token: other.apiKey })).status).toBe(200)
  })

  test('refusals are counted in bursar_http_rate_limited_total by scope', async () => {
    const metrics = await second.http('GET', '/metrics', { token: testOperatorToken })
    expect(metrics.status).toBe(200)
    expect(metrics.body).toMatch(/^bursar_http_rate_limited_total\{scope="credential"\} [1-9]/m)
  })
})

describe('in process: per API key and per source address, independently', () => {
  const stack = useTestStack({
    ...chain,
    config: {
      // X-Forwarded-For then names the client: each test speaks from addresses of its own.
      trustProxy: true,
      rateLimits: {
        perCredential: { requests: 3, windowSeconds: 60 },
        perAddress: { requests: 6, windowSeconds: 60 },
      },
    },
  })
  const from = (address: string, token?: string) => ({
    headers: { 'x-forwarded-for': address },
    ...(token === undefined ? {} : { token }),
  })

  test('a key over its limit is refused (scope credential); another key from the same address is not', async () => {
    const a = await stack.bursar.createAgent()
    const b = await stack.bursar.createAgent()
    for (let i = 0; i < 3; i++)
      expect((await stack.bursar.http('GET', '/v1/wallets', from('10.0.1.1', a.apiKey))).status).toBe(200)
    expectRateLimited(
      await stack.bursar.http('GET', '/v1/wallets', from('10.0.1.1', a.apiKey)),
      'credential',
      3,
    )
    expect((await stack.bursar.http('GET', '/v1/wallets', from('10.0.1.1', b.apiKey))).status).toBe(200)
  })

  test('an address over its limit is refused (scope address) before the credential is counted', async () => {
    const agent = await stack.bursar.createAgent()
    const statuses = []
    // The address's budget spent by anonymous requests; then the key's request from it is refused for the address.
    for (let i = 0; i < 6; i++)
      statuses.push((await stack.bursar.http('GET', '/openapi.json', from('10.0.2.1'))).status)
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200])
    expectRateLimited(
      await stack.bursar.http('GET', '/v1/wallets', from('10.0.2.1', agent.apiKey)),
      'address',
      6,
    )
    // The refusal spent none of the key's budget: all three of it are left from another address.
    for (let i = 0; i < 3; i++)
      expect((await stack.bursar.http('GET', '/v1/wallets', from('10.0.2.2', agent.apiKey))).status).toBe(200)
    expectRateLimited(
      await stack.bursar.http('GET', '/v1/wallets', from('10.0.2.2', agent.apiKey)),
      'credential',
      3,
    )
  })

  test('wrong keys spend only the address budget, and are refused for it once it is spent', async () => {
    const agent = await stack.bursar.createAgent()
    const wrong = `${agent.apiKey.slice(0, -4)}xxxx`
    const codes = []
    for (let i = 0; i < 7; i++)
      codes.push((await stack.bursar.http('GET', '/v1/wallets', from('10.0.3.1', wrong))).body.error.code)
    expect(codes).toEqual([...Array(6).fill('INVALID_API_KEY'), 'RATE_LIMITED'])
    for (let i = 0; i < 3; i++)
      expect((await stack.bursar.http('GET', '/v1/wallets', from('10.0.3.2', agent.apiKey))).status).toBe(200)
  })

  test('health and metrics probes are never refused for their address', async () => {
    for (let i = 0; i < 7; i++) await stack.bursar.http('GET', '/openapi.json', from('10.0.4.1'))
    expectRateLimited(await stack.bursar.http('GET', '/openapi.json', from('10.0.4.1')), 'address', 6)
    expect((await stack.bursar.http('GET', '/healthz', from('10.0.4.1'))).status).toBe(200)
    const operator = from('10.0.4.1', testOperatorToken)
    expect((await stack.bursar.http('GET', '/metrics', operator)).body).toMatch(
      /^bursar_http_rate_limited_total\{scope="address"\} [1-9]/m,
    )
    expect((await stack.bursar.http('GET', '/readyz', operator)).status).toBe(200)
  })

  test('IPv6 addresses of one /64 share one budget', async () => {
    for (let i = 0; i < 6; i++)
      expect((await stack.bursar.http('GET', '/openapi.json', from(`2001:db8:5::${i + 1}`))).status).toBe(200)
    expectRateLimited(await stack.bursar.http('GET', '/openapi.json', from('2001:db8:5::ffff')), 'address', 6)
    expect((await stack.bursar.http('GET', '/openapi.json', from('2001:db8:6::1'))).status).toBe(200)
  })
})

describe('a Redis that is down', () => {
  const config: Partial<BursarConfig> = {
    rateLimits: { perCredential: { requests: 2, windowSeconds: 60 }, perAddress: false },
  }
  // Registered before the stack's own beforeAll, so it runs first: Bursar starts pointed at the closed port.
  beforeAll(async () => {
    config.redisUrl = `redis://:s3cret-redis-pw@127.0.0.1:${await closedPort()}`
  })
  const stack = useTestStack({ ...chain, listen: false, config })

  test('requests are answered, never 500: limits are counted in process, with one warning that names no secret', async () => {
    const agent = await stack.bursar.createAgent()
    const statuses = []
    for (let i = 0; i < 2; i++)
      statuses.push((await stack.bursar.http('GET', '/v1/wallets', { token: agent.apiKey })).status)
    expect(statuses).toEqual([200, 200])
    expectRateLimited(await stack.bursar.http('GET', '/v1/wallets', { token: agent.apiKey }), 'credential', 2)
    const warnings = stack.bursar.logs.lines.filter((line) => line.includes('Redis is unavailable'))
    expect(warnings).toHaveLength(1)
    expect(stack.bursar.logs.text()).not.toContain('s3cret-redis-pw')
  })
})

describe('rate limits turned off', () => {
  const stack = useTestStack({
    ...chain,
    db: 'pglite',
    listen: false,
    config: { rateLimits: { perCredential: false, perAddress: false } },
  })

  test('no request is refused', async () => {
    const agent = await stack.bursar.createAgent()
    const statuses = new Set<number>()
    for (let i = 0; i < 20; i++)
      statuses.add((await stack.bursar.http('GET', '/v1/wallets', { token: agent.apiKey })).status)
    expect([...statuses]).toEqual([200])
  })
})

describe('the config file', () => {
  const file = (text: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'bursar-rate-')), 'config.json')
    writeFileSync(path, text)
    return path
  }

  test('takes rate limits, a scope turned off, a key prefix and a Redis URL', () => {
    const text = JSON.stringify({
      rateLimits: {
        perCredential: { requests: 100, windowSeconds: 1 },
        perAddress: false,
        redisKeyPrefix: 'a:',
      },
      redisUrl: 'redis://:pw@redis:6379/2',
    })
    expect(readConfigFile(file(text))).toEqual(JSON.parse(text))
  })

  test.each([
    ['a limit as a string', { rateLimits: { perAddress: { requests: '100', windowSeconds: 60 } } }],
    ['a zero window', { rateLimits: { perCredential: { requests: 100, windowSeconds: 0 } } }],
    ['an unknown field', { rateLimits: { perKey: { requests: 100, windowSeconds: 60 } } }],
    ['a Redis URL of another scheme', { redisUrl: 'http://:s3cret-redis-pw@redis:6379' }],
  ])('error: %s → CONFIG_INVALID, the URL not repeated', (_name, content) => {
    const attempt = () => readConfigFile(file(JSON.stringify(content)))
    expect(attempt).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
    expect(attempt).not.toThrow(/s3cret-redis-pw/)
  })
})
