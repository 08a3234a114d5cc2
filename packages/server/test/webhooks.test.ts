/**
 * Webhooks end to end (issue 8): an organisation's endpoint, added over the API, receives its organisation's events
 * signed (verified with the SDK's helper), is retried after failures until it answers, and receives nothing of
 * another organisation's.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { verifyWebhook } from '@bursar/sdk'
import { insertOrganisationWithToken } from '@bursar/store'
import { useTestStack } from '@bursar/testing/stack'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

type Received = { body: string; headers: IncomingMessage['headers'] }

describe('webhooks (PostgreSQL)', () => {
  const stack = useTestStack({ executor: false, config: { webhooks: { allowPrivateNetworks: true } } })
  let server: Server
  let url: string
  const received: Received[] = []
  let failuresLeft = 0

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = ''
      request.on('data', (chunk) => {
        body += chunk
      })
      request.on('end', () => {
        received.push({ body, headers: request.headers })
        if (failuresLeft > 0) {
          failuresLeft--
          response.writeHead(503).end('not now')
        } else response.writeHead(204).end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  async function until<T>(check: () => T | undefined, timeoutMs = 40_000): Promise<T> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const value = check()
      if (value !== undefined) return value
      if (Date.now() > deadline) throw new Error('timed out waiting for a delivery')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }

  test('a receiver that fails twice gets the event on the third attempt, signed, with every attempt logged', async () => {
    const created = await stack.bursar.http('POST', '/v1/webhooks', {
      token: stack.bursar.ownerToken,
      body: { url, event_types: ['agent.*'] },
    })
    expect(created.status).toBe(201)
    const { id: webhookId, secret } = created.body as { id: string; secret: string }
    expect(secret).toMatch(/^whsec_/)
    // Shown once: never again in a read.
    expect(
      JSON.stringify(
        (await stack.bursar.http('GET', `/v1/webhooks/${webhookId}`, { token: stack.bursar.ownerToken }))
          .body,
      ),
    ).not.toContain(secret)

    // Another organisation's events never reach this endpoint.
    const other = await stack.bursar.ctx.db.transaction((tx) => insertOrganisationWithToken(tx, 'other'))
    await stack.bursar.http('POST', '/v1/agents', {
      token: other.token,
      body: { name: 'theirs', create_api_key: false },
    })

    failuresLeft = 2
    const mine = await stack.bursar.createAgent({ name: 'hooked' })
    const deliveries = await until(() => {
      const ours = received.filter((r) => r.body.includes(mine.agentId))
      return ours.length >= 3 ? ours : undefined
    })
    expect(deliveries).toHaveLength(3)
    for (const delivery of deliveries) {
      const header = delivery.headers['bursar-signature'] as string
      expect(await verifyWebhook({ secret, body: delivery.body, header })).toMatchObject({ ok: true })
      expect(JSON.parse(delivery.body)).toMatchObject({
        type: 'agent.created',
        data: { subject: { type: 'agent', id: mine.agentId } },
      })
    }
    // The same event each time (receivers deduplicate by id), and a wrong secret does not verify.
    expect(new Set(deliveries.map((d) => JSON.parse(d.body).id)).size).toBe(1)
    expect(
      (
        await verifyWebhook({
          secret: `${secret}x`,
          body: deliveries[0]!.body,
          header: deliveries[0]!.headers['bursar-signature'] as string,
        })
      ).ok,
    ).toBe(false)
    expect(received.some((r) => r.body.includes('theirs'))).toBe(false)

    const log = await stack.bursar.http('GET', `/v1/webhooks/${webhookId}/deliveries`, {
      token: stack.bursar.ownerToken,
    })
    const delivered = (
      log.body.data as Array<{ id: string; status: string; payload: { data: { subject: { id: string } } } }>
    ).find((d) => d.payload.data.subject.id === mine.agentId)!
    // A fresh read: the list was taken after the third attempt was recorded.
    const detail = await stack.bursar.http('GET', `/v1/webhooks/${webhookId}/deliveries/${delivered.id}`, {
      token: stack.bursar.ownerToken,
    })
    expect(detail.body).toMatchObject({ status: 'delivered', attempts: 3 })
    expect(detail.body.attempts_log.map((a: { status: number }) => a.status)).toEqual([503, 503, 204])

    // Replay sends it again as a new delivery of the same event.
    const before = received.length
    const replay = await stack.bursar.http(
      'POST',
      `/v1/webhooks/${webhookId}/deliveries/${delivered.id}/replay`,
      {
        token: stack.bursar.ownerToken,
      },
    )
    expect(replay.status).toBe(201)
    expect(replay.body.replay_of).toBe(delivered.id)
    await until(() => (received.length > before ? true : undefined))
    expect(JSON.parse(received.at(-1)!.body).id).toBe(JSON.parse(deliveries[0]!.body).id)
  }, 60_000)

  test('error: a bad URL, another organisation and a viewer are refused', async () => {
    const bad = await stack.bursar.http('POST', '/v1/webhooks', {
      token: stack.bursar.ownerToken,
      body: { url: 'ftp://example.com/x', event_types: ['*'] },
    })
    expect([bad.status, bad.body.error.code]).toEqual([400, 'WEBHOOK_URL_INVALID'])
    const { data } = (await stack.bursar.http('GET', '/v1/webhooks', { token: stack.bursar.ownerToken })).body
    const other = await stack.bursar.ctx.db.transaction((tx) => insertOrganisationWithToken(tx, 'nosy'))
    const foreign = await stack.bursar.http('GET', `/v1/webhooks/${data[0].id}`, { token: other.token })
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'WEBHOOK_NOT_FOUND'])
    expect((await stack.bursar.http('GET', '/v1/webhooks', { token: other.token })).body.data).toEqual([])
    const viewer = await stack.bursar.http('POST', '/v1/service-tokens', {
      token: stack.bursar.ownerToken,
      body: { name: 'v', role: 'viewer' },
    })
    const refused = await stack.bursar.http('GET', '/v1/webhooks', { token: viewer.body.token })
    expect([refused.status, refused.body.error.code]).toEqual([403, 'ROLE_FORBIDDEN'])
  })
})
