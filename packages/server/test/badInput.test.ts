/**
 * Bad input at the HTTP edge: each gets a clear 4xx (or 503) with a stable code and the standard error body,
 * nothing is half-written, and the server keeps serving afterwards.
 */
import { createServer } from 'node:net'
import type { ErrorCode } from '@bursar/core/errors'
import type { Db } from '@bursar/store'
import { countRows, listIntentRows, listReservationRows } from '@bursar/store/test-support'
import { plainTransferFee, type TestAnvil } from '@bursar/testing/anvil'
import { startTestBursar, type TestBursar, testOperatorToken } from '@bursar/testing/bursar'
import { createTestDb, type TestDb } from '@bursar/testing/database'
import { useTestStack } from '@bursar/testing/stack'
import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

const ether = 10n ** 18n
const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const permissivePolicy = { limits: { perTransaction: [{ asset: 'anvil:native', max: ether.toString() }] } }
const transfer = { type: 'transfer', network: 'anvil', to: recipient, amount: '1' } as const
const twoTo256 = (2n ** 256n).toString()

type Agent = Awaited<ReturnType<TestBursar['createAgent']>>
type SendOptions = { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }
type Response = { status: number; headers: Headers; body: any }
type InjectMethod = NonNullable<InjectOptions['method']>

/**
 * Like TestBursar.http, but the response headers come back too (x-request-id, idempotent-replayed). Every instance
 * here runs in process: `app.inject` goes through the same hooks, parsers, limits and error handler as a socket
 * would. What only a socket can show (raw malformed HTTP, a client hanging up mid-body) is in edgeCases.test.ts.
 */
async function send(target: TestBursar, method: string, path: string, options: SendOptions = {}) {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  let body: string | undefined
  if (options.rawBody !== undefined) body = options.rawBody
  else if (options.body !== undefined) body = JSON.stringify(options.body)
  if (body !== undefined) headers['content-type'] ??= 'application/json'
  const response = await target.app.inject({
    method: method as InjectMethod,
    url: path,
    headers,
    ...(body === undefined ? {} : { payload: body }),
  })
  const text = response.body
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {}
  const responseHeaders = new Headers()
  for (const [name, value] of Object.entries(response.headers)) {
    for (const one of [value].flat()) if (one !== undefined) responseHeaders.append(name, String(one))
  }
  return { status: response.statusCode, headers: responseHeaders, body: parsed } as Response
}

/** Status, code and the one error shape: {error:{code,message,details,request_id}}, request id echoed in a header. */
function expectError(response: Response, status: number, code: ErrorCode) {
  expect({ status: response.status, code: response.body?.error?.code }).toEqual({ status, code })
  expect(response.body).toEqual({
    error: {
      code,
      message: expect.any(String),
      details: expect.any(Object),
      request_id: expect.stringMatching(/^req_[0-9a-f]+$/),
    },
  })
  expect(response.headers.get('x-request-id')).toBe(response.body.error.request_id)
}

async function counts(db: Db) {
  return countRows(db, ['intents', 'intent_events', 'spend_reservations', 'audit_log', 'agents', 'policies'])
}

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

describe('bad input', () => {
  /** Executor off: intents stay queued, and no background work writes rows while a test counts them. */
  const stack = useTestStack({ executor: false, listen: false })
  const dbs: TestDb[] = []
  const bursars: TestBursar[] = []
  let agent: Agent

  const post = (options: SendOptions & { body?: unknown }, token = agent.apiKey) =>
    send(stack.bursar, 'POST', '/v1/intents', { token, ...options })

  /** Runs a request that must be refused: the error, no row written, and a good intent accepted afterwards. */
  async function rejectsCleanly(request: () => Promise<Response>, status: number, code: ErrorCode) {
    const before = await counts(stack.bursar.ctx.db)
    const response = await request()
    expectError(response, status, code)
    expect(await counts(stack.bursar.ctx.db)).toEqual(before)
    const good = await post({ body: transfer })
    expect({ status: good.status, body: good.body }).toMatchObject({
      status: 201,
      body: { status: 'queued' },
    })
    return response
  }

  /** A refusal before the decision is recorded (a rejected intent, its events, an audit entry), never reserved. */
  async function refusedAndRecorded(request: () => Promise<Response>, status: number, code: ErrorCode) {
    const before = await counts(stack.bursar.ctx.db)
    const response = await request()
    expectError(response, status, code)
    expect(await counts(stack.bursar.ctx.db)).toEqual({
      ...before,
      intents: before.intents! + 1,
      intent_events: before.intent_events! + 2,
      audit_log: before.audit_log! + 1,
    })
    const [row] = await listIntentRows(
      stack.bursar.ctx.db,
      ['status', 'error'],
      {},
      { orderBy: 'id desc', limit: 1 },
    )
    expect(row).toMatchObject({ status: 'rejected', error: { code } })
    return response
  }

  async function startOn(networks: TestAnvil['network'][], executor: boolean) {
    const t = await createTestDb('postgres')
    dbs.push(t)
    const started = await startTestBursar({ db: t.db, networks, executor, listen: false })
    bursars.push(started)
    return started
  }

  async function fundedAgent(target: TestBursar, policy: unknown = permissivePolicy) {
    const created = await target.createAgent({ policy })
    await stack.anvil.testClient.setBalance({ address: created.address, value: 100n * ether })
    return created
  }

  beforeAll(async () => {
    agent = await fundedAgent(stack.bursar)
  })
  afterAll(async () => {
    for (const started of bursars) await started.close()
    for (const t of dbs) await t.drop()
  })

  describe('request body', () => {
    test.each([
      ['truncated', '{"type":"transfer","network":'],
      ['trailing garbage', '{"type":"transfer"}x'],
      ['single quotes', "{'type':'transfer'}"],
      ['empty', ''],
    ])('error: malformed JSON (%s) → 400 INVALID_JSON', async (_name, rawBody) => {
      await rejectsCleanly(() => post({ rawBody }), 400, 'INVALID_JSON')
    })

    test.each([
      ['an array', []],
      ['a string', 'transfer'],
      ['null', null],
      ['a number', 42],
    ])('error: a JSON body that is %s → 400 VALIDATION_FAILED', async (_name, body) => {
      await rejectsCleanly(() => post({ rawBody: JSON.stringify(body) }), 400, 'VALIDATION_FAILED')
    })

    test('error: unknown field → 400 VALIDATION_FAILED with the field’s JSON path', async () => {
      const response = await rejectsCleanly(
        () => post({ body: { ...transfer, note_to_self: 'hi' } }),
        400,
        'VALIDATION_FAILED',
      )
      expect(response.body.error.details.issues).toContainEqual({
        path: '$.note_to_self',
        message: expect.any(String),
      })
    })

    test('error: missing and mistyped fields → 400 VALIDATION_FAILED naming each path', async () => {
      const { to: _to, ...withoutTo } = transfer
      const response = await rejectsCleanly(
        () => post({ body: { ...withoutTo, amount: 1 } }),
        400,
        'VALIDATION_FAILED',
      )
      const paths = response.body.error.details.issues.map((issue: { path: string }) => issue.path).sort()
      expect(paths).toEqual(['$.amount', '$.to'])
    })

    test('error: unknown intent type → 400 VALIDATION_FAILED at $.type', async () => {
      const response = await rejectsCleanly(
        () => post({ body: { ...transfer, type: 'swap' } }),
        400,
        'VALIDATION_FAILED',
      )
      expect(response.body.error.details.issues.map((issue: { path: string }) => issue.path)).toContain(
        '$.type',
      )
    })

    test.each([
      ['application/xml', '<intent/>'],
      ['application/x-www-form-urlencoded', 'type=transfer&network=anvil'],
      ['multipart/form-data; boundary=x', '--x--'],
    ])('error: wrong content-type %s → 415 UNSUPPORTED_MEDIA_TYPE', async (contentType, rawBody) => {
      await rejectsCleanly(
        () => post({ rawBody, headers: { 'content-type': contentType } }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      )
    })

    test('error: JSON sent as text/plain → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      await rejectsCleanly(
        () => post({ rawBody: JSON.stringify(transfer), headers: { 'content-type': 'text/plain' } }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      )
    })

    test('error: body over bodyLimitBytes (256 KiB) → 413 BODY_TOO_LARGE', async () => {
      expect(stack.bursar.ctx.config.bodyLimitBytes).toBe(256 * 1024)
      const rawBody = JSON.stringify({ ...transfer, memo: 'x'.repeat(257 * 1024) })
      await rejectsCleanly(() => post({ rawBody }), 413, 'BODY_TOO_LARGE')
    })
  })

  describe('amounts', () => {
    test.each([
      ['negative', '-1', 'VALIDATION_FAILED'],
      ['fractional', '1.5', 'VALIDATION_FAILED'],
      ['exponent', '1e18', 'VALIDATION_FAILED'],
      ['leading zero', '01', 'VALIDATION_FAILED'],
      ['hex', '0x10', 'VALIDATION_FAILED'],
      ['padded', ' 1', 'VALIDATION_FAILED'],
      ['empty', '', 'VALIDATION_FAILED'],
      ['79 digits', '1'.repeat(79), 'VALIDATION_FAILED'],
      ['2^256 (overflows uint256)', twoTo256, 'INVALID_AMOUNT'],
    ] as const)('error: %s amount %j → 400 %s', async (_name, amount, code) => {
      const response = await rejectsCleanly(() => post({ body: { ...transfer, amount } }), 400, code)
      expect(['VALIDATION_FAILED', 'INVALID_AMOUNT']).toContain(response.body.error.code)
      if (code === 'VALIDATION_FAILED') {
        expect(response.body.error.details.issues.map((issue: { path: string }) => issue.path)).toEqual([
          '$.amount',
        ])
      } else {
        expect(response.body.error.details).toEqual({ field: 'amount' })
      }
    })

    test('error: a JSON number amount → 400 VALIDATION_FAILED (amounts are strings)', async () => {
      const response = await rejectsCleanly(
        () => post({ body: { ...transfer, amount: 1 } }),
        400,
        'VALIDATION_FAILED',
      )
      expect(response.body.error.details.issues[0].path).toBe('$.amount')
    })

    test('error: call value 1e18 / 2^256 → 400, located at value', async () => {
      const call = { type: 'call', network: 'anvil', to: recipient, data: '0x' }
      const exponent = await rejectsCleanly(
        () => post({ body: { ...call, value: '1e18' } }),
        400,
        'VALIDATION_FAILED',
      )
      expect(exponent.body.error.details.issues[0].path).toBe('$.value')
      const overflow = await rejectsCleanly(
        () => post({ body: { ...call, value: twoTo256 } }),
        400,
        'INVALID_AMOUNT',
      )
      expect(overflow.body.error.details).toEqual({ field: 'value' })
    })

    test('2^256 − 1 passes amount validation (the overflow check is exact); the simulation is the next gate', async () => {
      await refusedAndRecorded(
        () => post({ body: { ...transfer, amount: (2n ** 256n - 1n).toString() } }),
        422,
        'INSUFFICIENT_FUNDS',
      )
    })
  })

  describe('addresses, networks, assets', () => {
    test('error: mixed-case address with a wrong EIP-55 checksum → 400 INVALID_ADDRESS', async () => {
      // The checksummed address with one letter's case flipped.
      const broken = recipient.replace('C51812dc3A', 'c51812dc3A')
      expect(broken.toLowerCase()).toBe(recipient.toLowerCase())
      expect(broken).not.toBe(recipient)
      const response = await rejectsCleanly(
        () => post({ body: { ...transfer, to: broken } }),
        400,
        'INVALID_ADDRESS',
      )
      expect(response.body.error.details).toEqual({ field: 'to' })
    })

    test.each([
      ['all-lowercase', recipient.toLowerCase()],
      ['all-uppercase', `0x${recipient.slice(2).toUpperCase()}`],
    ])('an %s address (no checksum to check) is accepted', async (_name, to) => {
      const response = await post({ body: { ...transfer, to } })
      expect({ status: response.status, code: response.body.error?.code }).toEqual({
        status: 201,
        code: undefined,
      })
      expect(response.body.recipient.toLowerCase()).toBe(recipient.toLowerCase())
    })

    test.each([
      ['too short', '0x1234'],
      ['no 0x', recipient.slice(2)],
      ['not hex', `0x${'g'.repeat(40)}`],
      ['an ENS name', 'vitalik.eth'],
      ['too long', `${recipient}00`],
    ])(
      'error: invalid address (%s) → 400 INVALID_ADDRESS naming to (the network’s family checks it)',
      async (_name, to) => {
        const response = await rejectsCleanly(
          () => post({ body: { ...transfer, to } }),
          400,
          'INVALID_ADDRESS',
        )
        expect(response.body.error.details).toEqual({ field: 'to' })
      },
    )

    test.each([
      ['empty', ''],
      ['with a space', '0x12 34'],
      ['with a control character', '0x12\t34'],
      ['longer than any chain’s address', 'x'.repeat(129)],
    ])('error: an address no chain has (%s) → 400 VALIDATION_FAILED at $.to', async (_name, to) => {
      const response = await rejectsCleanly(
        () => post({ body: { ...transfer, to } }),
        400,
        'VALIDATION_FAILED',
      )
      const paths = response.body.error.details.issues.map((issue: { path: string }) => issue.path)
      expect([...new Set(paths)]).toEqual(['$.to'])
    })

    test('error: unknown network → 400 UNKNOWN_NETWORK', async () => {
      const response = await rejectsCleanly(
        () => post({ body: { ...transfer, network: 'mainnet' } }),
        400,
        'UNKNOWN_NETWORK',
      )
      expect(response.body.error.details).toMatchObject({ network: 'mainnet', known: ['anvil'] })
    })

    test('error: unknown asset → 400 UNKNOWN_ASSET', async () => {
      const response = await rejectsCleanly(
        () => post({ body: { ...transfer, asset: 'USDC' } }),
        400,
        'UNKNOWN_ASSET',
      )
      expect(response.body.error.details).toMatchObject({ asset: 'USDC', network: 'anvil' })
    })

    test('error: balances on an unknown network → 400 UNKNOWN_NETWORK', async () => {
      const response = await send(
        stack.bursar,
        'GET',
        `/v1/wallets/${agent.walletId}/balances?network=mainnet`,
        {
          token: agent.apiKey,
        },
      )
      expectError(response, 400, 'UNKNOWN_NETWORK')
    })
  })

  describe('credentials', () => {
    test('error: wrong key → 401 INVALID_API_KEY, nothing written', async () => {
      await rejectsCleanly(() => post({ body: transfer }, `bsr_${'x'.repeat(43)}`), 401, 'INVALID_API_KEY')
    })

    test('error: revoked key → 401 INVALID_API_KEY, nothing written', async () => {
      const created = await send(stack.bursar, 'POST', `/v1/agents/${agent.agentId}/keys`, {
        token: stack.bursar.ownerToken,
        body: { name: 'short-lived' },
      })
      expect(created.status).toBe(201)
      expect((await post({ body: transfer }, created.body.secret)).status).toBe(201)
      const revoked = await send(
        stack.bursar,
        'DELETE',
        `/v1/agents/${agent.agentId}/keys/${created.body.id}`,
        {
          token: stack.bursar.ownerToken,
        },
      )
      expect(revoked.status).toBe(200)
      await rejectsCleanly(() => post({ body: transfer }, created.body.secret), 401, 'INVALID_API_KEY')
    })

    test('error: no credentials → 401 UNAUTHENTICATED, nothing written', async () => {
      await rejectsCleanly(
        () => send(stack.bursar, 'POST', '/v1/intents', { body: transfer }),
        401,
        'UNAUTHENTICATED',
      )
    })
  })

  describe('Idempotency-Key', () => {
    test('same key and body → the same intent (201, then 200 replayed), written once', async () => {
      const headers = { 'idempotency-key': 'order-1' }
      const first = await post({ body: transfer, headers })
      expect(first.status).toBe(201)
      expect(first.headers.get('idempotent-replayed')).toBe('false')
      const before = await counts(stack.bursar.ctx.db)
      const second = await post({ body: transfer, headers })
      expect(second.status).toBe(200)
      expect(second.headers.get('idempotent-replayed')).toBe('true')
      expect(second.body.id).toBe(first.body.id)
      expect(second.body).toEqual(first.body)
      expect(await counts(stack.bursar.ctx.db)).toEqual(before)
    })

    test('error: same key, different body → 422 IDEMPOTENCY_KEY_REUSED, nothing written', async () => {
      const headers = { 'idempotency-key': 'order-2' }
      const first = await post({ body: transfer, headers })
      expect(first.status).toBe(201)
      const response = await rejectsCleanly(
        () => post({ body: { ...transfer, amount: '2' }, headers }),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      )
      expect(response.body.error.details).toEqual({ intent_id: first.body.id })
    })

    test('a key is scoped to its agent: another agent with the same key gets its own intent', async () => {
      const other = await fundedAgent(stack.bursar)
      const headers = { 'idempotency-key': 'order-3' }
      const mine = await post({ body: transfer, headers })
      const theirs = await post({ body: transfer, headers }, other.apiKey)
      expect([mine.status, theirs.status]).toEqual([201, 201])
      expect(theirs.body.id).not.toBe(mine.body.id)
      expect(theirs.body.agent_id).toBe(other.agentId)
    })

    test('a denied intent replays as the same denial', async () => {
      const headers = { 'idempotency-key': 'order-4' }
      const body = { ...transfer, amount: (2n * ether).toString() }
      const first = await post({ body, headers })
      expectError(first, 403, 'POLICY_DENIED')
      const before = await counts(stack.bursar.ctx.db)
      const second = await post({ body, headers })
      expectError(second, 403, 'POLICY_DENIED')
      expect(second.body.error.details.intent_id).toBe(first.body.error.details.intent_id)
      expect(await counts(stack.bursar.ctx.db)).toEqual(before)
    })

    test.each([
      ['with a space', 'order 5'],
      ['too long', 'k'.repeat(256)],
    ])('error: Idempotency-Key %s → 400 VALIDATION_FAILED', async (_name, key) => {
      const response = await rejectsCleanly(
        () => post({ body: transfer, headers: { 'idempotency-key': key } }),
        400,
        'VALIDATION_FAILED',
      )
      // The header is named as clients write it, and the issue points at it.
      expect(response.body.error.message).toBe('Idempotency-Key header is invalid')
      expect(response.body.error.details.issues).toEqual([
        { path: '$.idempotency-key', message: expect.any(String) },
      ])
    })
  })

  describe('cancel', () => {
    const reservations = (intentId: string) =>
      listReservationRows(stack.bursar.ctx.db, ['kind', 'status'], { intentId }, 'id')

    test('an intent is cancelled before it is signed and its reservation released', async () => {
      const submitted = await post({ body: transfer })
      expect(submitted.body.status).toBe('queued')
      expect(await reservations(submitted.body.id)).toEqual([
        { kind: 'spend', status: 'reserved' },
        { kind: 'fee', status: 'reserved' },
      ])
      const cancelled = await send(stack.bursar, 'POST', `/v1/intents/${submitted.body.id}/cancel`, {
        token: agent.apiKey,
      })
      expect(cancelled.status).toBe(200)
      expect(cancelled.body).toMatchObject({ id: submitted.body.id, status: 'cancelled', tx_hash: null })
      expect(await reservations(submitted.body.id)).toEqual([
        { kind: 'spend', status: 'released' },
        { kind: 'fee', status: 'released' },
      ])
      const events = await send(stack.bursar, 'GET', `/v1/intents/${submitted.body.id}/events`, {
        token: agent.apiKey,
      })
      expect(events.body.data.at(-1)).toMatchObject({ from: 'queued', to: 'cancelled' })
    })

    test('cancelling twice is harmless: same answer, nothing more written', async () => {
      const submitted = await post({ body: transfer })
      const path = `/v1/intents/${submitted.body.id}/cancel`
      const first = await send(stack.bursar, 'POST', path, { token: stack.bursar.ownerToken })
      expect(first.body.status).toBe('cancelled')
      const before = await counts(stack.bursar.ctx.db)
      const second = await send(stack.bursar, 'POST', path, { token: agent.apiKey })
      expect({ status: second.status, intent: second.body.status }).toEqual({
        status: 200,
        intent: 'cancelled',
      })
      expect(await counts(stack.bursar.ctx.db)).toEqual(before)
    })

    test('a released reservation gives the window budget back', async () => {
      const limited = await fundedAgent(stack.bursar, {
        // Two transfers of 1 wei and their fee ceilings.
        limits: {
          windows: [{ window: '24h', asset: 'anvil:native', max: (2n * (1n + plainTransferFee)).toString() }],
        },
      })
      const one = await post({ body: transfer }, limited.apiKey)
      const two = await post({ body: transfer }, limited.apiKey)
      expect([one.status, two.status]).toEqual([201, 201])
      const three = await post({ body: transfer }, limited.apiKey)
      expectError(three, 403, 'POLICY_DENIED')
      expect(three.body.error.details.reasons[0].code).toBe('LIMIT_WINDOW_EXCEEDED')
      const cancelled = await send(stack.bursar, 'POST', `/v1/intents/${one.body.id}/cancel`, {
        token: limited.apiKey,
      })
      expect(cancelled.status).toBe(200)
      expect((await post({ body: transfer }, limited.apiKey)).status).toBe(201)
    })

    test('error: cancelling an unknown intent → 404 INTENT_NOT_FOUND', async () => {
      await rejectsCleanly(
        () => send(stack.bursar, 'POST', '/v1/intents/int_doesnotexist/cancel', { token: agent.apiKey }),
        404,
        'INTENT_NOT_FOUND',
      )
    })

    test('error: cancelling a confirmed intent → 409 INTENT_NOT_CANCELLABLE, nothing written', async () => {
      const live = await startOn([stack.anvil.network], true)
      const liveAgent = await fundedAgent(live)
      const submitted = await send(live, 'POST', '/v1/intents', { token: liveAgent.apiKey, body: transfer })
      expect(submitted.status).toBe(201)
      let intent = submitted.body
      for (let i = 0; i < 600 && !['confirmed', 'failed'].includes(intent.status); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50))
        intent = (await send(live, 'GET', `/v1/intents/${intent.id}`, { token: liveAgent.apiKey })).body
      }
      expect(intent.status).toBe('confirmed')
      const before = await counts(live.ctx.db)
      const response = await send(live, 'POST', `/v1/intents/${intent.id}/cancel`, {
        token: liveAgent.apiKey,
      })
      expectError(response, 409, 'INTENT_NOT_CANCELLABLE')
      expect(response.body.error.details).toEqual({ intent_id: intent.id, status: 'confirmed' })
      expect(await counts(live.ctx.db)).toEqual(before)
      const [reservation] = await listReservationRows(live.ctx.db, ['status'], { intentId: intent.id })
      expect(reservation?.status).toBe('committed')
    })
  })

  describe('agent status', () => {
    test('error: a paused agent → 403 AGENT_PAUSED, recorded as refused; resumed, it submits again', async () => {
      const paused = await fundedAgent(stack.bursar)
      const pause = await send(stack.bursar, 'POST', `/v1/agents/${paused.agentId}/pause`, {
        token: stack.bursar.ownerToken,
      })
      expect({ status: pause.status, agent: pause.body.status }).toEqual({ status: 200, agent: 'paused' })
      await refusedAndRecorded(() => post({ body: transfer }, paused.apiKey), 403, 'AGENT_PAUSED')
      const resume = await send(stack.bursar, 'POST', `/v1/agents/${paused.agentId}/resume`, {
        token: stack.bursar.ownerToken,
      })
      expect({ status: resume.status, agent: resume.body.status }).toEqual({ status: 200, agent: 'active' })
      const after = await post({ body: transfer }, paused.apiKey)
      expect({ status: after.status, intent: after.body.status }).toEqual({ status: 201, intent: 'queued' })
    })
  })

  describe('routes and queries', () => {
    test.each([
      ['GET', '/v1/nope'],
      ['POST', '/v1/intents/int_x/approve'],
      ['PATCH', '/v1/intents'],
      ['GET', '/'],
    ])('error: unknown route %s %s → 404 ROUTE_NOT_FOUND', async (method, path) => {
      await rejectsCleanly(
        () => send(stack.bursar, method, path, { token: agent.apiKey }),
        404,
        'ROUTE_NOT_FOUND',
      )
    })

    test('error: unknown route without credentials → 404 ROUTE_NOT_FOUND', async () => {
      expectError(await send(stack.bursar, 'GET', '/v1/nope'), 404, 'ROUTE_NOT_FOUND')
    })

    test.each([
      ['not base64url', 'not a cursor!'],
      ['base64url of junk', Buffer.from('hello').toString('base64url')],
      ['an injection attempt', Buffer.from("int_1' or '1'='1").toString('base64url')],
      ['another id kind', Buffer.from('agt_abc').toString('base64url')],
    ])('error: bad cursor (%s) → 400 INVALID_CURSOR', async (_name, cursor) => {
      await rejectsCleanly(
        () =>
          send(stack.bursar, 'GET', `/v1/intents?cursor=${encodeURIComponent(cursor)}`, {
            token: agent.apiKey,
          }),
        400,
        'INVALID_CURSOR',
      )
    })

    test.each([
      ['limit=0', '$.limit'],
      ['limit=201', '$.limit'],
      ['limit=ten', '$.limit'],
      ['status=teleported', '$.status'],
      ['colour=blue', '$.colour'],
    ])('error: bad list query %s → 400 VALIDATION_FAILED', async (query, path) => {
      const response = await rejectsCleanly(
        () => send(stack.bursar, 'GET', `/v1/intents?${query}`, { token: agent.apiKey }),
        400,
        'VALIDATION_FAILED',
      )
      expect(response.body.error.details.issues[0].path).toBe(path)
    })

    test('error: bad audit query → 400 VALIDATION_FAILED', async () => {
      for (const query of ['after_seq=-1', 'limit=100000', 'since=yesterday']) {
        await rejectsCleanly(
          () => send(stack.bursar, 'GET', `/v1/audit?${query}`, { token: stack.bursar.ownerToken }),
          400,
          'VALIDATION_FAILED',
        )
      }
    })

    test('error: an over-long id in the path → 400 VALIDATION_FAILED', async () => {
      await rejectsCleanly(
        () => send(stack.bursar, 'GET', `/v1/intents/int_${'a'.repeat(80)}`, { token: agent.apiKey }),
        400,
        'VALIDATION_FAILED',
      )
    })
  })

  describe('policy documents and agents', () => {
    test('error: invalid policy on PUT /v1/agents/:id/policy → 422 POLICY_INVALID with JSON paths', async () => {
      const response = await rejectsCleanly(
        () =>
          send(stack.bursar, 'PUT', `/v1/agents/${agent.agentId}/policy`, {
            token: stack.bursar.ownerToken,
            body: {
              limits: { perTransaction: [{ asset: 'anvil:native', max: '-5' }] },
              allowEverything: true,
            },
          }),
        422,
        'POLICY_INVALID',
      )
      const paths = response.body.error.details.issues.map((issue: { path: string }) => issue.path)
      expect(paths).toEqual(expect.arrayContaining(['$.limits.perTransaction[0].max', '$.allowEverything']))
      const policy = await send(stack.bursar, 'GET', `/v1/agents/${agent.agentId}/policy`, {
        token: stack.bursar.ownerToken,
      })
      expect(policy.body).toMatchObject({ version: 1, document: permissivePolicy })
    })

    test.each([
      ['an array', '[]'],
      ['a string', '"allow all"'],
      ['null', 'null'],
    ])('error: a policy that is %s → 422 POLICY_INVALID at $', async (_name, rawBody) => {
      const response = await rejectsCleanly(
        () =>
          send(stack.bursar, 'PUT', `/v1/agents/${agent.agentId}/policy`, {
            token: stack.bursar.ownerToken,
            rawBody,
          }),
        422,
        'POLICY_INVALID',
      )
      expect(response.body.error.details.issues[0].path).toBe('$')
    })

    test('error: creating an agent with an invalid policy → 422 POLICY_INVALID and no agent', async () => {
      await rejectsCleanly(
        () =>
          send(stack.bursar, 'POST', '/v1/agents', {
            token: stack.bursar.ownerToken,
            body: { name: 'half', policy: { limits: { windows: [{ window: 'forever', max: '1' }] } } },
          }),
        422,
        'POLICY_INVALID',
      )
      const agents = await send(stack.bursar, 'GET', '/v1/agents', { token: stack.bursar.ownerToken })
      expect(agents.body.data.map((a: { name: string }) => a.name)).not.toContain('half')
    })

    test('error: creating an agent with an unknown field → 400 VALIDATION_FAILED', async () => {
      await rejectsCleanly(
        () =>
          send(stack.bursar, 'POST', '/v1/agents', {
            token: stack.bursar.ownerToken,
            body: { name: 'x', admin: true },
          }),
        400,
        'VALIDATION_FAILED',
      )
    })
  })

  describe('an RPC that is down', () => {
    let port: number
    const down = useTestStack({
      anvil: false,
      networks: async () => {
        port = await closedPort()
        return [{ ...stack.anvil.network, rpcUrls: [`http://127.0.0.1:${port}`] }]
      },
      executor: false,
      listen: false,
    })
    let deadAgent: Agent

    beforeAll(async () => {
      deadAgent = await down.bursar.createAgent({ policy: permissivePolicy })
    })

    test('error: submitting → 503 RPC_UNAVAILABLE, the intent is not stored, the URL not disclosed', async () => {
      const before = await counts(down.bursar.ctx.db)
      const response = await send(down.bursar, 'POST', '/v1/intents', {
        token: deadAgent.apiKey,
        body: transfer,
        headers: { 'idempotency-key': 'while-down' },
      })
      expectError(response, 503, 'RPC_UNAVAILABLE')
      expect(JSON.stringify(response.body)).not.toContain(String(port))
      expect(await counts(down.bursar.ctx.db)).toEqual(before)
      const listed = await send(down.bursar, 'GET', '/v1/intents', { token: deadAgent.apiKey })
      expect({ status: listed.status, data: listed.body.data }).toEqual({ status: 200, data: [] })
    })

    test('error: balances → 503 RPC_UNAVAILABLE', async () => {
      const response = await send(down.bursar, 'GET', `/v1/wallets/${deadAgent.walletId}/balances`, {
        token: deadAgent.apiKey,
      })
      expectError(response, 503, 'RPC_UNAVAILABLE')
      expect(JSON.stringify(response.body)).not.toContain(String(port))
    })

    test('readiness reports the network unavailable while liveness and the database still answer', async () => {
      const ready = await send(down.bursar, 'GET', '/readyz', { token: testOperatorToken })
      expect(ready.status).toBe(503)
      expect(ready.body).toEqual({
        status: 'not_ready',
        checks: { database: 'ok', 'network:anvil': 'unavailable' },
      })
      expect((await send(down.bursar, 'GET', '/healthz')).status).toBe(200)
      expect((await send(down.bursar, 'GET', '/v1/wallets', { token: deadAgent.apiKey })).status).toBe(200)
    })
  })
})
