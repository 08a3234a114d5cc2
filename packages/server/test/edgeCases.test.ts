/** The HTTP edge under odd traffic: oversized requests, bad encodings, hang-ups, unusable resume ids. */
import { connect } from 'node:net'
import { canonicalHash } from '@bursar/core/audit'
import { insertPolicyRow, listIntentRows, sumReservations } from '@bursar/store/test-support'
import type { TestBursar } from '@bursar/testing/bursar'
import { useTestStack } from '@bursar/testing/stack'
import { encodeFunctionData, erc20Abi, maxUint256, parseAbi } from 'viem'
import { beforeAll, describe, expect, test } from 'vitest'
import { policyMac } from '../src/integrity/policyMac.ts'

describe('the HTTP edge', () => {
  const stack = useTestStack({ executor: false })
  let agent: Awaited<ReturnType<TestBursar['createAgent']>>

  beforeAll(async () => {
    agent = await stack.bursar.createAgent({ policy: {} })
  })

  function raw(request: string): Promise<string> {
    const { port } = new URL(stack.bursar.url)
    return new Promise((resolve) => {
      let out = ''
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(request))
      socket.on('data', (chunk) => {
        out += chunk
      })
      socket.on('close', () => resolve(out))
      socket.on('error', () => resolve(out))
    })
  }
  const bodyOf = (response: string) => JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4))

  test.each([
    ['an oversized header', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`],
    ['an oversized URL', `GET /v1/intents/${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`],
  ])('error: %s → 431 with Bursar’s error body and a request id', async (_name, request) => {
    const response = await raw(request)
    expect(response).toMatch(/^HTTP\/1\.1 431 /)
    expect(bodyOf(response)).toEqual({
      error: {
        code: 'HEADERS_TOO_LARGE',
        message: expect.any(String),
        details: {},
        request_id: expect.stringMatching(/^req_[0-9a-f]{16}$/),
      },
    })
  })

  test('error: a path parameter over the length limit → 414 URI_TOO_LONG in Bursar’s body', async () => {
    const response = await stack.bursar.http('GET', `/v1/intents/${'a'.repeat(200)}`, { token: agent.apiKey })
    expect(response.status).toBe(414)
    expect(response.body.error).toMatchObject({
      code: 'URI_TOO_LONG',
      request_id: expect.stringMatching(/^req_/),
    })
  })

  test.each([
    ['a NUL in a path parameter', 'GET', '/v1/intents/int_%00', undefined, '$path.id'],
    ['a NUL in a query filter', 'GET', '/v1/intents?network=an%00vil', undefined, '$query.network'],
    [
      'a NUL in a memo',
      'POST',
      '/v1/intents',
      '{"type":"transfer","network":"anvil","to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","amount":"1","memo":"a\\u0000b"}',
      '$.memo',
    ],
    [
      'a lone surrogate in a memo',
      'POST',
      '/v1/intents',
      '{"type":"transfer","network":"anvil","to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","amount":"1","memo":"\\ud800"}',
      '$.memo',
    ],
    ['a NUL in an object key', 'POST', '/v1/intents', '{"a\\u0000":1}', '$ (a key)'],
  ])('error: %s → 400 INVALID_TEXT naming where', async (_name, method, path, rawBody, where) => {
    const response = await stack.bursar.http(method, path, {
      token: agent.apiKey,
      ...(rawBody === undefined ? {} : { rawBody }),
    })
    expect(response.status).toBe(400)
    expect(response.body.error).toMatchObject({ code: 'INVALID_TEXT', details: { path: where } })
  })

  test('error: a URL that does not decode → 400 VALIDATION_FAILED in Bursar’s body', async () => {
    const response = await stack.bursar.http('GET', '/v1/intents/int_%ED%A0%80', { token: agent.apiKey })
    expect(response.status).toBe(400)
    expect(response.body.error.code).toBe('VALIDATION_FAILED')
  })

  test('a client that hangs up mid-body is logged as such, not as an error with a stack trace', async () => {
    const before = stack.bursar.logs.lines.length
    await new Promise<void>((resolve) => {
      const { port } = new URL(stack.bursar.url)
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /v1/intents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nAuthorization: Bearer ${agent.apiKey}\r\n\r\n{"type":`,
        )
        setTimeout(() => {
          socket.destroy()
          resolve()
        }, 100)
      })
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    const lines = stack.bursar.logs.lines
      .slice(before)
      .map((line) => JSON.parse(line) as { level: number; msg: string })
    expect(lines.filter((line) => line.level >= 50)).toEqual([])
    expect(lines.some((line) => line.msg === 'client closed the connection before the response')).toBe(true)
  })

  test('error: one owner cannot break Cedar for everyone: a rule 200 deep is refused, other Cedar policies keep working', async () => {
    const deep = `forbid (principal, action, resource) when { ${'('.repeat(200)}true${')'.repeat(200)} };`
    const refused = await stack.bursar.http('PUT', `/v1/agents/${agent.agentId}/policy`, {
      token: stack.bursar.ownerToken,
      body: { cedar: [{ id: 'deep', policy: deep }] },
    })
    expect(refused.status).toBe(422)
    expect(refused.body.error.code).toBe('POLICY_INVALID')
    const other = await stack.bursar.createAgent({
      policy: {
        cedar: [
          { id: 'no-one', policy: 'forbid (principal, action, resource) when { context.amount == "1" };' },
        ],
      },
    })
    const dryRun = await stack.bursar.http('POST', '/v1/intents/dry-run', {
      token: other.apiKey,
      body: {
        type: 'transfer',
        network: 'anvil',
        to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
        amount: '1',
      },
    })
    expect(dryRun.status).toBe(200)
    expect(dryRun.body.decision.reasons.map((reason: { code: string }) => reason.code)).toEqual([
      'CEDAR_FORBID',
    ])
  })

  test.each(['99999999999999999999', '-1', 'abc', '1e3'])(
    'error: Last-Event-ID %s → 400 VALIDATION_FAILED (no stream that fails forever)',
    async (id) => {
      const response = await stack.bursar.http('GET', '/v1/events?follow=false', {
        token: stack.bursar.ownerToken,
        headers: { 'last-event-id': id },
      })
      expect(response.status).toBe(400)
      expect(response.body.error.code).toBe('VALIDATION_FAILED')
    },
  )

  test.each([
    [
      'nine unlimited approvals in one multicall',
      encodeFunctionData({
        abi: parseAbi(['function multicall(bytes[] data)']),
        args: [
          Array.from({ length: 9 }, () =>
            encodeFunctionData({
              abi: erc20Abi,
              functionName: 'approve',
              args: ['0x70997970C51812dc3A010C7d01b50e0d17dc79C8', maxUint256],
            }),
          ),
        ],
      }),
    ],
    [
      'an ERC-1155 batch of nine maximal amounts',
      encodeFunctionData({
        abi: parseAbi([
          'function safeBatchTransferFrom(address from, address to, uint256[] ids, uint256[] amounts, bytes data)',
        ]),
        args: [
          '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
          '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
          Array.from({ length: 9 }, (_, i) => BigInt(i)),
          Array.from({ length: 9 }, () => maxUint256),
          '0x',
        ],
      }),
    ],
  ])('%s sum past 2^256 and are still recorded: never a 500', async (_name, data) => {
    await stack.anvil.testClient.setBalance({ address: agent.address as `0x${string}`, value: 10n ** 18n })
    const response = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: { type: 'call', network: 'anvil', to: '0x00000000000000000000000000000000000c0de5', data },
    })
    expect(response.status).toBe(201)
    const spent = await sumReservations(stack.t.db, { intentId: response.body.id, kind: 'spend' })
    expect(BigInt(spent.total)).toBe(9n * maxUint256)
  })

  test('error: a stored policy that breaks a rule added since decides nothing: 409 POLICY_OUTDATED, recorded', async () => {
    const old = await stack.bursar.createAgent({ policy: {} })
    await stack.anvil.testClient.setBalance({ address: old.address as `0x${string}`, value: 10n ** 18n })
    // 33 Cedar rules: valid when saved by an older Bursar, over today's bound of 32 per policy.
    const document = {
      cedar: Array.from({ length: 33 }, (_, i) => ({
        id: `r${i}`,
        policy: `forbid (principal, action, resource) when { context.amount == "${i + 1}" };`,
      })),
    }
    const documentHash = canonicalHash(document)
    await insertPolicyRow(stack.t.db, {
      agent_id: old.agentId,
      version: 2,
      document,
      created_by: 'test',
      document_hash: documentHash,
      mac: policyMac(stack.bursar.ctx.keystore, old.agentId, 2, documentHash),
    })
    const body = {
      type: 'transfer',
      network: 'anvil',
      to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
      amount: '1',
    }
    const submitted = await stack.bursar.http('POST', '/v1/intents', { token: old.apiKey, body })
    expect(submitted.status).toBe(409)
    expect(submitted.body.error).toMatchObject({
      code: 'POLICY_OUTDATED',
      details: { issues: [expect.stringContaining('$.cedar')] },
    })
    const dryRun = await stack.bursar.http('POST', '/v1/intents/dry-run', { token: old.apiKey, body })
    expect(dryRun.status).toBe(409)
    const rows = await listIntentRows(stack.t.db, ['status', 'error'], { agentId: old.agentId })
    expect(rows).toEqual([
      { status: 'rejected', error: expect.objectContaining({ code: 'POLICY_OUTDATED' }) },
    ])
  })
})
