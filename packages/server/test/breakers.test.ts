import { createBursarClient } from '@bursar/sdk'
import { listAuditRows, readIntentRow, setIntentColumns } from '@bursar/store/test-support'
import { plainTransferFee } from '@bursar/testing/anvil'
import { useTestStack } from '@bursar/testing/stack'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { broadcastSigned } from '../src/workers/broadcastSigned.ts'
import { confirmBroadcast } from '../src/workers/confirmBroadcast.ts'
import { signQueued } from '../src/workers/signQueued.ts'

const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const transfer = (amount: string) => ({ type: 'transfer' as const, network: 'anvil', to: recipient, amount })
/** A native limit of `value` wei on top of a transfer's fee (fees are native spend). */
const feePlus = (value: bigint) => (plainTransferFee + value).toString()

describe('circuit breakers (PostgreSQL)', () => {
  const stack = useTestStack({ executor: false })

  const statusOf = async (id: string) => (await readIntentRow(stack.t.db, id, ['status']))!.status

  test('a tripped breaker survives a restart and blocks the executor until an owner resets it', async () => {
    const agent = await stack.bursar.createAgent({
      policy: { limits: { perTransaction: [{ asset: 'anvil:native', max: feePlus(10_000n) }] } },
    })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
    const queued = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: transfer('100'),
    })
    expect(queued.status).toBe(201)
    const frozen = await stack.bursar.http('POST', `/v1/agents/${agent.agentId}/freeze`, {
      token: stack.bursar.ownerToken,
      body: { reason: 'looks odd' },
    })
    expect(frozen.body).toMatchObject({ tripped: true, already_tripped: false })

    // A new process on the same database: the breaker is still tripped.
    const ownerToken = stack.bursar.ownerToken
    await stack.restartBursar()
    const refused = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: transfer('100'),
    })
    expect(refused.status).toBe(403)
    expect(refused.body.error).toMatchObject({
      code: 'AGENT_FROZEN',
      details: { scope: 'agent', reason: 'looks odd' },
    })
    expect(await signQueued(stack.bursar.ctx)).toBe(0)
    expect(await statusOf(queued.body.id)).toBe('queued')
    const list = await stack.bursar.http('GET', '/v1/breakers', { token: ownerToken })
    expect(list.body.data).toEqual([
      expect.objectContaining({ agent_id: agent.agentId, tripped: true, signal: 'manual' }),
    ])

    const reset = await stack.bursar.http('POST', `/v1/agents/${agent.agentId}/unfreeze`, {
      token: ownerToken,
    })
    expect(reset.status).toBe(200)
    expect(await signQueued(stack.bursar.ctx)).toBe(1)
    expect(await statusOf(queued.body.id)).toBe('signed')
    expect(await broadcastSigned(stack.bursar.ctx)).toBe(1)
    expect(await statusOf(queued.body.id)).toBe('broadcast')
    await stack.bursar.seal()
    const actions = (
      await listAuditRows(
        stack.t.db,
        { actionPrefix: 'breaker.', subjectIds: [agent.agentId] },
        { orderBy: 'seq' },
      )
    ).map((row) => row.action)
    expect(actions).toEqual(['breaker.tripped', 'breaker.reset'])
  })

  test('trips on its own after N denials in the window and then refuses valid intents', async () => {
    const agent = await stack.bursar.createAgent({
      policy: {
        limits: { perTransaction: [{ asset: 'anvil:native', max: feePlus(1000n) }] },
        breaker: { denials: { max: 3, window: '10m' } },
      },
    })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
    for (let i = 0; i < 2; i++) {
      expect(
        (await stack.bursar.http('POST', '/v1/intents', { token: agent.apiKey, body: transfer('5000') })).body
          .error.code,
      ).toBe('POLICY_DENIED')
    }
    expect(
      (await stack.bursar.http('POST', '/v1/intents', { token: agent.apiKey, body: transfer('10') })).status,
    ).toBe(201)
    expect(
      (await stack.bursar.http('POST', '/v1/intents', { token: agent.apiKey, body: transfer('5000') })).body
        .error.code,
    ).toBe('POLICY_DENIED')
    const after = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: transfer('10'),
    })
    expect(after.body.error).toMatchObject({
      code: 'AGENT_FROZEN',
      details: { reason: expect.stringContaining('3 policy denials') },
    })
  })

  test('spend velocity: the intent that crosses the threshold is held, not signed', async () => {
    const agent = await stack.bursar.createAgent({
      // Two transfers of 1000 and their fees cross it; one does not.
      policy: {
        breaker: {
          spendVelocity: [
            { asset: 'anvil:native', window: '1h', max: (1500n + 2n * plainTransferFee).toString() },
          ],
        },
      },
    })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
    const first = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: transfer('1000'),
    })
    const second = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: transfer('1000'),
    })
    expect([first.status, second.status]).toEqual([201, 201])
    expect(await signQueued(stack.bursar.ctx)).toBe(0)
    expect([await statusOf(first.body.id), await statusOf(second.body.id)]).toEqual(['queued', 'queued'])
    const breakers = await stack.bursar.http('GET', '/v1/breakers', { token: stack.bursar.ownerToken })
    expect(breakers.body.data).toContainEqual(
      expect.objectContaining({ agent_id: agent.agentId, signal: 'spend_velocity', tripped: true }),
    )
  })

  test('a global halt refuses every agent and stops broadcasting already-signed transactions', async () => {
    const agent = await stack.bursar.createAgent({ policy: {} })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
    const client = createBursarClient({ url: stack.bursar.url, apiKey: agent.apiKey })
    const intent = await client.sendIntent(transfer('7'))
    expect(await signQueued(stack.bursar.ctx)).toBeGreaterThanOrEqual(1)
    expect(await statusOf(intent.id)).toBe('signed')
    expect(
      (
        await stack.bursar.http('POST', '/v1/halt', {
          token: stack.bursar.ownerToken,
          body: { reason: 'incident' },
        })
      ).status,
    ).toBe(200)
    expect(await broadcastSigned(stack.bursar.ctx)).toBe(0)
    expect(await statusOf(intent.id)).toBe('signed')
    const refused = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: transfer('7'),
    })
    expect(refused.body.error).toMatchObject({
      code: 'SYSTEM_HALTED',
      details: { scope: 'global', reason: 'incident' },
    })
    expect(
      (await stack.bursar.http('POST', '/v1/halt/reset', { token: stack.bursar.ownerToken })).status,
    ).toBe(200)
    expect(await broadcastSigned(stack.bursar.ctx)).toBeGreaterThanOrEqual(1)
    expect(await statusOf(intent.id)).toBe('broadcast')
  })

  test('trips on its own after K transactions refused at broadcast', async () => {
    const agent = await stack.bursar.createAgent({
      policy: { breaker: { failedBroadcasts: { max: 1, window: '1h' } } },
    })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
    const intent = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: transfer('9'),
    })
    expect(await signQueued(stack.bursar.ctx)).toBe(1)
    const foreign = await privateKeyToAccount(generatePrivateKey()).signTransaction({
      chainId: 1,
      to: recipient,
      value: 1n,
      nonce: 0,
      gas: 21_000n,
      maxFeePerGas: 10n ** 10n,
      maxPriorityFeePerGas: 1n,
    })
    await setIntentColumns(stack.t.db, { id: intent.body.id }, { raw_tx: foreign })
    await broadcastSigned(stack.bursar.ctx)
    // Refused: in doubt until its nonce is settled (here, at once, by its cancellation), then failed.
    expect(await statusOf(intent.body.id)).toBe('in_doubt')
    const { executor } = stack.bursar.ctx.config
    const grace = executor.inDoubtGraceSeconds
    executor.inDoubtGraceSeconds = 0
    try {
      for (let i = 0; i < 40 && (await statusOf(intent.body.id)) === 'in_doubt'; i++) {
        await confirmBroadcast(stack.bursar.ctx)
        await setIntentColumns(stack.t.db, { id: intent.body.id }, { next_attempt_at: 'now' })
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    } finally {
      executor.inDoubtGraceSeconds = grace
    }
    expect(await statusOf(intent.body.id)).toBe('failed')
    const refused = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: transfer('9'),
    })
    expect(refused.body.error).toMatchObject({
      code: 'AGENT_FROZEN',
      details: { reason: expect.stringContaining('1 failed transactions') },
    })
  })

  test('a trip and its reset are emitted on the live event stream', async () => {
    const agent = await stack.bursar.createAgent({ policy: {} })
    const controller = new AbortController()
    const response = await fetch(`${stack.bursar.url}/v1/events?actions=breaker.`, {
      headers: { authorization: `Bearer ${stack.bursar.ownerToken}` },
      signal: controller.signal,
    })
    expect(response.headers.get('content-type')).toContain('text/event-stream')
    const reader = response.body!.getReader()
    const decoder = new TextDecoder()
    let text = ''
    await stack.bursar.http('POST', `/v1/agents/${agent.agentId}/freeze`, {
      token: stack.bursar.ownerToken,
      body: { reason: 'stream test' },
    })
    await stack.bursar.http('POST', `/v1/agents/${agent.agentId}/unfreeze`, {
      token: stack.bursar.ownerToken,
    })
    while (!text.includes('event: breaker.reset')) {
      const { value, done } = await reader.read()
      if (done) break
      text += decoder.decode(value)
    }
    controller.abort()
    const events = text
      .split('\n\n')
      .filter((block) => block.startsWith('id: '))
      .map((block) =>
        JSON.parse(
          block
            .split('\n')
            .find((line) => line.startsWith('data: '))!
            .slice(6),
        ),
      )
      // Entries of earlier tests may still be sealed after the stream starts: look at this agent's.
      .filter((event) => event.subject.id === agent.agentId)
    expect(events.map((event) => [event.action, event.subject.id])).toEqual([
      ['breaker.tripped', agent.agentId],
      ['breaker.reset', agent.agentId],
    ])
    expect(events[0].data).toMatchObject({ reason: 'stream test', signal: 'manual' })
  })

  test('an agent cannot freeze, reset or halt', async () => {
    const agent = await stack.bursar.createAgent({ policy: {} })
    for (const path of [
      `/v1/agents/${agent.agentId}/freeze`,
      `/v1/agents/${agent.agentId}/unfreeze`,
      '/v1/halt',
      '/v1/halt/reset',
    ]) {
      const response = await stack.bursar.http('POST', path, { token: agent.apiKey, body: {} })
      expect([path, response.status, response.body.error.code]).toEqual([path, 403, 'FORBIDDEN'])
    }
  })
})
