import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createSealedSeed, type Keystore, openKeystore } from '@bursar/keys/keystore'
import { verifyWebhook } from '@bursar/sdk'
import {
  claimWebhookDeliveries,
  createDb,
  type Db,
  disableWebhookEndpoint,
  getWebhookDelivery,
  getWebhookEndpoint,
  insertOrganisation,
  listWebhookAttempts,
  listWebhookDeliveries,
  listWebhookEndpoints,
  recordWebhookAttempt,
  replayWebhookDelivery,
  type WebhookDeliveryRow,
} from '@bursar/store'
import { listWebhookRows } from '@bursar/store/test-support'
import { createTestDb, type TestDb, testDbKinds } from '@bursar/testing/database'
import { afterAll, afterEach, beforeAll, describe, expect, onTestFinished, test } from 'vitest'
import { createLogger } from '../logger.ts'
import { createWebhookEndpoint } from './createWebhookEndpoint.ts'
import { type DeliverWebhooksParameters, deliverWebhooks } from './deliverWebhooks.ts'
import { enqueueWebhookEvent, type WebhookEventSource } from './enqueueWebhookEvent.ts'
import { rotateWebhookSecret } from './rotateWebhookSecret.ts'

const masterKey = 'correct horse battery staple, but longer'
const fast = { memoryKiB: 64, iterations: 1, parallelism: 1 }
const logger = createLogger('silent')
const hour = 60 * 60 * 1000

let keystore: Keystore
beforeAll(async () => {
  keystore = await openKeystore(await createSealedSeed({ masterKey, words: 12, kdf: fast }), masterKey)
})

/** What the receiver answers one request with: a status, a reset connection, or nothing at all. */
type Reply = number | 'reset' | 'hang'
type Received = { path: string; headers: IncomingHttpHeaders; body: Buffer }

/** A webhook receiver on 127.0.0.1: answers with `replies` in turn, then with `otherwise`; keeps what arrived. */
async function startReceiver(replies: Reply[] = [], otherwise: Reply = 204) {
  const received: Received[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks) })
      const reply = replies.shift() ?? otherwise
      if (reply === 'reset') request.socket.resetAndDestroy()
      else if (reply === 'hang') return
      else if (reply >= 300 && reply < 400) response.writeHead(reply, { location: '/elsewhere' }).end()
      else response.writeHead(reply).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  onTestFinished(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  return { url: `http://127.0.0.1:${port}/hooks`, received }
}

/** Whether `secret` verifies what arrived, at the moment the pass that sent it ran. */
async function verifies(secret: string, request: Received, now: Date): Promise<boolean> {
  const header = request.headers['bursar-signature']
  return (await verifyWebhook({ secret, body: request.body, header, now })).ok
}

let nextSeq = 1
/** An audit entry as the tail hands it over. */
function auditEntry(action = 'intent.confirmed', seq = nextSeq++): WebhookEventSource {
  return {
    seq,
    ts: new Date().toISOString(),
    action,
    actor: { type: 'system', id: null },
    subject: { type: 'intent', id: `int_${seq}` },
    data: { tx_hash: `0x${'ab'.repeat(32)}`, block_number: 17 },
  }
}

/** A moment just after now, by which everything queued so far is due (the database's clock stamps enqueues). */
const soon = () => new Date(Date.now() + 1000)
const later = (from: Date, ms: number) => new Date(from.getTime() + ms)

describe.each(testDbKinds)('webhook delivery on %s', (kind) => {
  let t: TestDb
  let orgId: string
  let otherOrgId: string
  const pass = (parameters: Partial<DeliverWebhooksParameters> & { now: Date }) =>
    deliverWebhooks({
      db: t.db,
      keystore,
      logger,
      random: () => 0.5,
      allowPrivateNetworks: true,
      ...parameters,
    })
  const deps = () => ({ db: t.db, keystore })
  const deliveriesOf = async (endpointId: string, org = orgId) =>
    listWebhookDeliveries(t.db, { orgId: org, endpointId, limit: 100 })
  const attemptsOf = async (deliveryId: string) =>
    (await listWebhookAttempts(t.db, orgId, deliveryId)).map(({ attempt, status, error }) => ({
      attempt,
      status,
      error,
    }))

  beforeAll(async () => {
    t = await createTestDb(kind)
    orgId = (await insertOrganisation(t.db, 'Acme')).id
    otherOrgId = (await insertOrganisation(t.db, 'Globex')).id
  })
  afterAll(() => t.drop())
  // Each test starts with nothing due: disabling an endpoint fails whatever it still had pending.
  afterEach(async () => {
    for (const org of [orgId, otherOrgId])
      for (const endpoint of await listWebhookEndpoints(t.db, org))
        await disableWebhookEndpoint(t.db, org, endpoint.id)
  })

  test('delivers a signed event: JSON body, delivery and event headers, the secret shown once verifies it', async () => {
    const receiver = await startReceiver()
    const { endpoint, secret } = await createWebhookEndpoint(deps(), orgId, {
      url: receiver.url,
      event_types: ['intent.*'],
      description: 'ledger',
    })
    expect(endpoint).toMatchObject({
      org_id: orgId,
      url: receiver.url,
      description: 'ledger',
      disabled_at: null,
    })
    expect(endpoint.id).toMatch(/^whk_/)
    const entry = auditEntry('intent.confirmed')
    const [queued] = await enqueueWebhookEvent(t.db, orgId, entry)
    expect(queued).toMatchObject({ endpoint_id: endpoint.id, status: 'pending', attempts: 0 })
    expect(queued!.id).toMatch(/^whd_/)

    const now = soon()
    expect(await pass({ now })).toEqual({ claimed: 1, delivered: 1, retrying: 0, failed: 0 })

    expect(receiver.received).toHaveLength(1)
    const [request] = receiver.received
    expect(await verifies(secret, request!, now)).toBe(true)
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json',
      'bursar-delivery': queued!.id,
      'bursar-event': 'intent.confirmed',
    })
    expect(request!.headers['bursar-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
    expect(JSON.parse(request!.body.toString('utf8'))).toEqual({
      id: `evt_${entry.seq}`,
      type: 'intent.confirmed',
      created_at: entry.ts,
      data: { seq: entry.seq, actor: entry.actor, subject: entry.subject, details: entry.data },
    })
    expect(await getWebhookDelivery(t.db, orgId, queued!.id)).toMatchObject({
      status: 'delivered',
      attempts: 1,
      last_status: 204,
      lease_until: null,
      delivered_at: now,
    })
    expect(await attemptsOf(queued!.id)).toEqual([{ attempt: 1, status: 204, error: null }])
  })

  test('a receiver that fails twice (500, then a reset connection) gets the event on the third attempt', async () => {
    const receiver = await startReceiver([500, 'reset'])
    const { endpoint, secret } = await createWebhookEndpoint(deps(), orgId, {
      url: receiver.url,
      event_types: ['*'],
    })
    const [queued] = await enqueueWebhookEvent(t.db, orgId, auditEntry())
    const t0 = soon()

    expect(await pass({ now: t0 })).toMatchObject({ claimed: 1, retrying: 1 })
    // random 0.5 of the first ceiling (5 s): due again 2.5 s later, not before.
    expect(await getWebhookDelivery(t.db, orgId, queued!.id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status: 500,
      next_attempt_at: later(t0, 2_500),
      lease_until: null,
    })
    expect(await pass({ now: later(t0, 2_000) })).toMatchObject({ claimed: 0 })

    const t1 = later(t0, hour)
    expect(await pass({ now: t1 })).toMatchObject({ claimed: 1, retrying: 1 })
    const second = await getWebhookDelivery(t.db, orgId, queued!.id)
    expect(second).toMatchObject({ status: 'pending', attempts: 2, last_status: null })
    expect(second!.last_error).toMatch(/^connection failed/)

    const t2 = later(t0, 2 * hour)
    expect(await pass({ now: t2 })).toMatchObject({ claimed: 1, delivered: 1 })

    expect(receiver.received).toHaveLength(3)
    const moments = [t0, t1, t2]
    for (const [i, request] of receiver.received.entries()) {
      expect(request.headers['bursar-delivery']).toBe(queued!.id)
      expect(request.body.equals(receiver.received[0]!.body)).toBe(true)
      expect(await verifies(secret, request, moments[i]!)).toBe(true)
    }
    const attempts = await attemptsOf(queued!.id)
    expect(attempts).toMatchObject([
      { attempt: 1, status: 500, error: null },
      { attempt: 2, status: null },
      { attempt: 3, status: 204, error: null },
    ])
    expect(attempts[1]!.error).toMatch(/^connection failed/)
    expect((await deliveriesOf(endpoint.id))[0]).toMatchObject({ status: 'delivered', attempts: 3 })
  })

  test.runIf(kind === 'postgres')(
    'a restart between attempts loses nothing: a new connection and a fresh pass send what was pending',
    async () => {
      const receiver = await startReceiver([503])
      const { secret } = await createWebhookEndpoint(deps(), orgId, { url: receiver.url, event_types: ['*'] })
      const t0 = soon()

      const before = await createDb({ kind: 'postgres', url: t.url! })
      const [queued] = await enqueueWebhookEvent(before, orgId, auditEntry())
      expect(
        await deliverWebhooks({ db: before, keystore, logger, now: t0, allowPrivateNetworks: true }),
      ).toMatchObject({ retrying: 1 })
      await before.close()

      const after = await createDb({ kind: 'postgres', url: t.url! })
      try {
        const t1 = later(t0, hour)
        expect(
          await deliverWebhooks({ db: after, keystore, logger, now: t1, allowPrivateNetworks: true }),
        ).toMatchObject({
          delivered: 1,
        })
        expect(receiver.received).toHaveLength(2)
        expect(await verifies(secret, receiver.received[1]!, t1)).toBe(true)
        expect(await getWebhookDelivery(after, orgId, queued!.id)).toMatchObject({
          status: 'delivered',
          attempts: 2,
        })
      } finally {
        await after.close()
      }
    },
  )

  test('a worker that died holding a lease: nobody sends the delivery until the lease runs out, then it goes once', async () => {
    const receiver = await startReceiver()
    await createWebhookEndpoint(deps(), orgId, { url: receiver.url, event_types: ['*'] })
    const [queued] = await enqueueWebhookEvent(t.db, orgId, auditEntry())
    const t0 = soon()
    // Claimed, then the process is gone: no attempt is ever recorded.
    const claimed = await claimWebhookDeliveries(t.db, { now: t0, limit: 10, leaseSeconds: 60 })
    expect(claimed.map((delivery) => delivery.id)).toEqual([queued!.id])

    expect(await pass({ now: later(t0, 30_000) })).toMatchObject({ claimed: 0 })
    expect(receiver.received).toHaveLength(0)

    expect(await pass({ now: later(t0, 61_000) })).toMatchObject({ claimed: 1, delivered: 1 })
    expect(receiver.received).toHaveLength(1)
    expect(await attemptsOf(queued!.id)).toEqual([{ attempt: 1, status: 204, error: null }])
  })

  test('a worker whose lease ran out records nothing over the attempt another worker already recorded', async () => {
    const receiver = await startReceiver()
    await createWebhookEndpoint(deps(), orgId, { url: receiver.url, event_types: ['*'] })
    const [queued] = await enqueueWebhookEvent(t.db, orgId, auditEntry())
    const t0 = soon()
    const [stale] = await claimWebhookDeliveries(t.db, { now: t0, limit: 10, leaseSeconds: 60 })
    expect(await pass({ now: later(t0, 61_000) })).toMatchObject({ delivered: 1 })
    // The first worker comes back from a long stall with its own result for the same attempt.
    const moved = await recordWebhookAttempt(t.db, {
      deliveryId: stale!.id,
      attempt: stale!.attempts + 1,
      at: later(t0, 70_000),
      status: 500,
      error: null,
      durationMs: 12,
      outcome: { retryAt: later(t0, 80_000) },
    })
    expect(moved).toBe(false)
    expect(await getWebhookDelivery(t.db, orgId, queued!.id)).toMatchObject({
      status: 'delivered',
      attempts: 1,
      last_status: 204,
    })
    expect(await attemptsOf(queued!.id)).toEqual([{ attempt: 1, status: 204, error: null }])
  })

  test('an endpoint of another organisation is not delivered to, and its endpoints and deliveries look missing here', async () => {
    const ours = await startReceiver()
    const theirs = await startReceiver()
    const { endpoint } = await createWebhookEndpoint(deps(), orgId, { url: ours.url, event_types: ['*'] })
    const { endpoint: other } = await createWebhookEndpoint(deps(), otherOrgId, {
      url: theirs.url,
      event_types: ['*'],
    })

    const queued = await enqueueWebhookEvent(t.db, orgId, auditEntry())
    expect(queued.map((delivery) => delivery.endpoint_id)).toEqual([endpoint.id])
    expect(await pass({ now: soon() })).toMatchObject({ claimed: 1, delivered: 1 })
    expect(ours.received).toHaveLength(1)
    expect(theirs.received).toHaveLength(0)

    const id = queued[0]!.id
    expect(await getWebhookEndpoint(t.db, otherOrgId, endpoint.id)).toBeUndefined()
    expect((await listWebhookEndpoints(t.db, otherOrgId)).map((row) => row.id)).toEqual([other.id])
    expect(await deliveriesOf(endpoint.id, otherOrgId)).toEqual([])
    expect(await getWebhookDelivery(t.db, otherOrgId, id)).toBeUndefined()
    expect(await listWebhookAttempts(t.db, otherOrgId, id)).toEqual([])
    expect(await replayWebhookDelivery(t.db, otherOrgId, id)).toBeUndefined()
    expect(await disableWebhookEndpoint(t.db, otherOrgId, endpoint.id)).toBeUndefined()
    await expect(rotateWebhookSecret(deps(), otherOrgId, endpoint.id)).rejects.toMatchObject({
      code: 'WEBHOOK_NOT_FOUND',
    })
    expect(await getWebhookEndpoint(t.db, orgId, endpoint.id)).toMatchObject({
      disabled_at: null,
      previous_secret_expires_at: null,
    })
  })

  test('patterns choose the endpoints: a family, an exact type, *; a disabled endpoint gets nothing; an event is queued once', async () => {
    const receiver = await startReceiver()
    const create = async (event_types: string[]) =>
      (await createWebhookEndpoint(deps(), orgId, { url: receiver.url, event_types })).endpoint.id
    const family = await create(['intent.*'])
    const exact = await create(['approval.requested'])
    const every = await create(['*'])
    const disabled = await create(['*'])
    await disableWebhookEndpoint(t.db, orgId, disabled)
    const endpointsFor = async (entry: WebhookEventSource) =>
      (await enqueueWebhookEvent(t.db, orgId, entry)).map((delivery) => delivery.endpoint_id).sort()

    const confirmed = auditEntry('intent.confirmed')
    expect(await endpointsFor(confirmed)).toEqual([family, every].sort())
    expect(await endpointsFor(auditEntry('approval.requested'))).toEqual([exact, every].sort())
    expect(await endpointsFor(auditEntry('intents.listed'))).toEqual([every])
    expect(await endpointsFor(auditEntry('approval.decided'))).toEqual([every])
    // The tail hands the same entry over again (after a restart): nothing new.
    expect(await endpointsFor(confirmed)).toEqual([])
    expect(await deliveriesOf(disabled)).toEqual([])
  })

  test('a disabled endpoint: what it still had pending fails, and nothing is sent to it', async () => {
    const receiver = await startReceiver()
    const { endpoint } = await createWebhookEndpoint(deps(), orgId, { url: receiver.url, event_types: ['*'] })
    const [queued] = await enqueueWebhookEvent(t.db, orgId, auditEntry())
    const disabled = await disableWebhookEndpoint(t.db, orgId, endpoint.id)
    expect(disabled!.disabled_at).toBeInstanceOf(Date)
    expect(await pass({ now: soon() })).toMatchObject({ claimed: 0 })
    expect(receiver.received).toHaveLength(0)
    expect(await getWebhookDelivery(t.db, orgId, queued!.id)).toMatchObject({
      status: 'failed',
      attempts: 0,
      last_error: 'endpoint disabled',
    })
    expect(await replayWebhookDelivery(t.db, orgId, queued!.id)).toBeUndefined()
  })

  test('two passes at once deliver each delivery exactly once', async () => {
    const receiver = await startReceiver()
    await createWebhookEndpoint(deps(), orgId, { url: receiver.url, event_types: ['*'] })
    const queued: WebhookDeliveryRow[] = []
    for (let i = 0; i < 12; i++) queued.push(...(await enqueueWebhookEvent(t.db, orgId, auditEntry())))
    const now = soon()
    // On PostgreSQL the second worker is another process's pool; PGlite has one connection, shared.
    const second: Db = kind === 'postgres' ? await createDb({ kind: 'postgres', url: t.url! }) : t.db
    onTestFinished(() => (second === t.db ? undefined : second.close()))
    const drain = async (db: Db) => {
      let sent = 0
      for (;;) {
        const result = await deliverWebhooks({
          db,
          keystore,
          logger,
          now,
          limit: 5,
          allowPrivateNetworks: true,
        })
        if (result.claimed === 0) return sent
        sent += result.delivered
      }
    }
    const [first, other] = await Promise.all([drain(t.db), drain(second)])
    expect(first + other).toBe(12)

    const ids = receiver.received.map((request) => request.headers['bursar-delivery'])
    expect(ids).toHaveLength(12)
    expect(new Set(ids)).toEqual(new Set(queued.map((delivery) => delivery.id)))
    for (const delivery of queued) {
      expect(await attemptsOf(delivery.id)).toEqual([{ attempt: 1, status: 204, error: null }])
    }
  })

  test('a claim skips deliveries another worker is claiming that moment: it neither waits for them nor takes them too', async () => {
    // Nothing is sent in this test: the URL only has to be valid.
    await createWebhookEndpoint(deps(), orgId, { url: 'http://127.0.0.1:9/unused', event_types: ['*'] })
    const queued: WebhookDeliveryRow[] = []
    for (let i = 0; i < 6; i++) queued.push(...(await enqueueWebhookEvent(t.db, orgId, auditEntry())))
    const now = soon()
    let claiming!: () => void
    const claimed = new Promise<void>((resolve) => {
      claiming = resolve
    })
    // The first worker's claim, held uncommitted for a while (PGlite queues the second behind it instead).
    const first = t.db.transaction(async (tx) => {
      const rows = await claimWebhookDeliveries(tx, { now, limit: 3, leaseSeconds: 60 })
      claiming()
      await new Promise((resolve) => setTimeout(resolve, 200))
      return rows
    })
    await claimed
    const second = await claimWebhookDeliveries(t.db, { now, limit: 10, leaseSeconds: 60 })
    const firstIds = (await first).map((delivery) => delivery.id)
    const secondIds = second.map((delivery) => delivery.id)
    expect(firstIds).toHaveLength(3)
    expect(secondIds).toHaveLength(3)
    expect(new Set([...firstIds, ...secondIds])).toEqual(new Set(queued.map((delivery) => delivery.id)))
  })

  test('replay: a new delivery of the same event is sent again; the original stays as it was', async () => {
    const receiver = await startReceiver()
    const { endpoint, secret } = await createWebhookEndpoint(deps(), orgId, {
      url: receiver.url,
      event_types: ['*'],
    })
    const [original] = await enqueueWebhookEvent(t.db, orgId, auditEntry())
    const t0 = soon()
    await pass({ now: t0 })

    const replay = await replayWebhookDelivery(t.db, orgId, original!.id)
    expect(replay).toMatchObject({
      endpoint_id: endpoint.id,
      event_id: original!.event_id,
      event_type: original!.event_type,
      payload: original!.payload,
      status: 'pending',
      attempts: 0,
      replay_of: original!.id,
    })
    expect(replay!.id).not.toBe(original!.id)

    const t1 = later(t0, 60_000)
    expect(await pass({ now: t1 })).toMatchObject({ claimed: 1, delivered: 1 })
    expect(receiver.received).toHaveLength(2)
    const [first, again] = receiver.received
    expect(again!.headers['bursar-delivery']).toBe(replay!.id)
    expect(again!.body.equals(first!.body)).toBe(true)
    expect(await verifies(secret, again!, t1)).toBe(true)
    expect(
      (await deliveriesOf(endpoint.id)).map(({ id, status, attempts }) => ({ id, status, attempts })),
    ).toEqual([
      { id: replay!.id, status: 'delivered', attempts: 1 },
      { id: original!.id, status: 'delivered', attempts: 1 },
    ])
  })

  test('rotation: the new secret is shown once; both sign for the overlap, then only the new one', async () => {
    const receiver = await startReceiver()
    const created = await createWebhookEndpoint(deps(), orgId, { url: receiver.url, event_types: ['*'] })
    const rotated = await rotateWebhookSecret(deps(), orgId, created.endpoint.id)
    expect(rotated.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)
    expect(rotated.secret).not.toBe(created.secret)
    const overlapEnd = rotated.endpoint.previous_secret_expires_at!
    const day = 24 * hour
    expect(Math.abs(overlapEnd.getTime() - (Date.now() + day))).toBeLessThan(60_000)

    await enqueueWebhookEvent(t.db, orgId, auditEntry())
    const during = soon()
    await pass({ now: during })
    const [first] = receiver.received
    expect(first!.headers['bursar-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/)
    expect(await verifies(created.secret, first!, during)).toBe(true)
    expect(await verifies(rotated.secret, first!, during)).toBe(true)

    await enqueueWebhookEvent(t.db, orgId, auditEntry())
    const after = later(overlapEnd, 1000)
    await pass({ now: after })
    const [, second] = receiver.received
    expect(second!.headers['bursar-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
    expect(await verifies(rotated.secret, second!, after)).toBe(true)
    expect(await verifies(created.secret, second!, after)).toBe(false)
  })

  test('a receiver that never answers 2xx: after the last attempt the delivery fails, every attempt logged', async () => {
    const receiver = await startReceiver([], 500)
    await createWebhookEndpoint(deps(), orgId, { url: receiver.url, event_types: ['*'] })
    const [queued] = await enqueueWebhookEvent(t.db, orgId, auditEntry())
    const t0 = soon()
    const results = []
    for (let i = 0; i < 15; i++) results.push(await pass({ now: later(t0, i * 2 * hour) }))
    expect(results.slice(0, 14).every((result) => result.retrying === 1)).toBe(true)
    expect(results[14]).toEqual({ claimed: 1, delivered: 0, retrying: 0, failed: 1 })
    expect(await pass({ now: later(t0, 40 * hour) })).toMatchObject({ claimed: 0 })

    expect(receiver.received).toHaveLength(15)
    expect(await getWebhookDelivery(t.db, orgId, queued!.id)).toMatchObject({
      status: 'failed',
      attempts: 15,
      last_status: 500,
      lease_until: null,
      delivered_at: null,
    })
    expect(await attemptsOf(queued!.id)).toEqual(
      Array.from({ length: 15 }, (_, i) => ({ attempt: i + 1, status: 500, error: null })),
    )
  })

  test('no answer within the timeout, or a redirect, is a failed attempt, tried again later', async () => {
    const receiver = await startReceiver(['hang', 301])
    await createWebhookEndpoint(deps(), orgId, { url: receiver.url, event_types: ['*'] })
    const [queued] = await enqueueWebhookEvent(t.db, orgId, auditEntry())
    const t0 = soon()
    await pass({ now: t0, timeoutMs: 200 })
    await pass({ now: later(t0, hour), timeoutMs: 200 })
    await pass({ now: later(t0, 2 * hour), timeoutMs: 200 })
    // The redirect was not followed: nothing arrived at /elsewhere.
    expect(receiver.received.map((request) => request.path)).toEqual(['/hooks', '/hooks', '/hooks'])
    expect(await attemptsOf(queued!.id)).toEqual([
      { attempt: 1, status: null, error: 'no answer within 200 ms' },
      { attempt: 2, status: 301, error: null },
      { attempt: 3, status: 204, error: null },
    ])
  })

  test('the secret is stored only sealed: neither secret appears in any webhook row, nor in what the store returns', async () => {
    const receiver = await startReceiver()
    const created = await createWebhookEndpoint(deps(), orgId, { url: receiver.url, event_types: ['*'] })
    const rotated = await rotateWebhookSecret(deps(), orgId, created.endpoint.id)
    await enqueueWebhookEvent(t.db, orgId, auditEntry())
    await pass({ now: soon() })

    for (const endpoint of [created.endpoint, rotated.endpoint]) {
      expect(Object.keys(endpoint)).not.toContain('secret')
      expect(Object.keys(endpoint)).not.toContain('previous_secret')
    }
    const stored = JSON.stringify(await listWebhookRows(t.db))
    for (const secret of [created.secret, rotated.secret]) {
      const random = secret.slice('whsec_'.length)
      expect(stored).not.toContain(random)
      expect(stored).not.toContain(Buffer.from(secret).toString('hex'))
      expect(stored).not.toContain(Buffer.from(random, 'base64url').toString('hex'))
      expect(stored).not.toContain(Buffer.from(random, 'base64url').toString('base64'))
    }
    const [row] = (await listWebhookRows(t.db)).endpoints.filter(
      (endpoint) => endpoint.id === created.endpoint.id,
    )
    for (const column of ['secret', 'previous_secret'])
      expect(Object.keys(row![column] as object).sort(), column).toEqual([
        'ciphertext',
        'nonce',
        'salt',
        'version',
      ])
  })

  test('error: an invalid URL → WEBHOOK_URL_INVALID, malformed event types → VALIDATION_FAILED; nothing stored', async () => {
    const before = (await listWebhookRows(t.db)).endpoints.length
    await expect(
      createWebhookEndpoint(deps(), orgId, { url: 'https://user:pw@example.com/hook', event_types: ['*'] }),
    ).rejects.toMatchObject({ code: 'WEBHOOK_URL_INVALID' })
    await expect(
      createWebhookEndpoint(deps(), orgId, { url: 'ftp://example.com/hook', event_types: ['*'] }),
    ).rejects.toMatchObject({ code: 'WEBHOOK_URL_INVALID' })
    await expect(
      createWebhookEndpoint(deps(), orgId, { url: 'https://example.com/hook', event_types: [] }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    expect((await listWebhookRows(t.db)).endpoints).toHaveLength(before)
  })
})
