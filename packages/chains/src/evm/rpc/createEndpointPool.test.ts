import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { EvmNetwork } from '@bursar/core/networks'
import {
  deployRevertingContract,
  startTestAnvil,
  type TestAnvil,
  waitForReceipt,
} from '@bursar/testing/anvil'
import { startTcpProxy, type TcpProxy } from '@bursar/testing/tcp-proxy'
import { encodeErrorResult, type Hash, parseAbi } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest'
import { anvilAccounts } from '../anvil/anvilAccounts.ts'
import { type Anvil, startAnvil } from '../anvil/startAnvil.ts'
import { createEvmAdapter } from '../createEvmAdapter.ts'
import { type CreateEvmRpcOptions, createEvmRpc } from '../createEvmRpc.ts'
import type { RpcLog } from './createEndpointPool.ts'

let anvil: TestAnvil
const proxies: TcpProxy[] = []
const relays: Server[] = []
const sender = privateKeyToAccount(anvilAccounts[3].privateKey)
const recipient = privateKeyToAccount(generatePrivateKey()).address
const garbage = '0x02deadbeef'

beforeAll(async () => {
  anvil = await startTestAnvil()
})
afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.stop()))
  for (const relay of relays) relay.closeAllConnections()
  await Promise.all(relays.map((relay) => new Promise((resolve) => relay.close(resolve))))
  await anvil?.stop()
})

async function proxy(): Promise<TcpProxy> {
  const started = await startTcpProxy(anvil.port)
  proxies.push(started)
  return started
}

function through(...rpcUrls: string[]): EvmNetwork {
  return { ...anvil.network, rpcUrls }
}

// No periodic check (tests drive checks themselves) and a quiet log unless a test listens.
function pooled(network: EvmNetwork, options: CreateEvmRpcOptions = {}) {
  const rpc = createEvmRpc(network, { chainCheckIntervalMs: 0, log: () => {}, ...options })
  onTestFinished(() => rpc.close())
  return rpc
}

function capture(): { log: RpcLog; entries: Array<Parameters<RpcLog>> } {
  const entries: Array<Parameters<RpcLog>> = []
  return { log: (...entry) => entries.push(entry), entries }
}

async function signTransfer(rpc: ReturnType<typeof createEvmRpc>, nonce: number) {
  const fees = await rpc.estimateFees()
  return sender.signTransaction(
    rpc.buildTransaction({ to: recipient, value: 1n, nonce, gas: 21_000n, ...fees }),
  )
}

test('the first proxy killed mid-run: reads and broadcasts keep working through the second', async () => {
  const [first, second] = [await proxy(), await proxy()]
  const rpc = pooled(through(first.url, second.url))
  const start = await rpc.getTransactionCount(sender.address, 'pending')
  const hashes: Hash[] = []
  for (let i = 0; i < 30; i++) {
    const work = Promise.all([
      rpc.getBlockNumber(),
      rpc.getBalances(sender.address),
      signTransfer(rpc, start + i).then((signed) => rpc.broadcast(signed)),
    ])
    // Cut while this round's requests are on their way.
    if (i === 10) await first.stop()
    const [, , hash] = await work
    hashes.push(hash)
  }
  for (const hash of hashes) expect(await waitForReceipt(rpc, hash)).toMatchObject({ status: 'success' })
  expect(await rpc.getTransactionCount(sender.address, 'latest')).toBe(start + 30)
  const [cut, standing] = rpc.endpoints()
  expect(cut).toMatchObject({ index: 0, status: 'circuit_open', lastError: expect.any(String) })
  expect(standing).toMatchObject({ index: 1, status: 'healthy', consecutiveFailures: 0 })
  expect(second.connections).toBeGreaterThan(0)
})

test('error: a JSON-RPC error of a live node is not failed over and keeps its message', async () => {
  const [first, second] = [await proxy(), await proxy()]
  const rpc = pooled(through(first.url, second.url))
  const direct = pooled(anvil.network)

  const refused = await rpc.broadcast(garbage).catch((caught: unknown) => caught)
  const expected = await direct.broadcast(garbage).catch((caught: unknown) => caught)
  expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', details: { network: 'anvil' } })
  expect((refused as Error).message).toBe((expected as Error).message)

  const abi = parseAbi(['error Error(string)'])
  const to = await deployRevertingContract(
    anvil,
    encodeErrorResult({ abi, errorName: 'Error', args: ['nope'] }),
  )
  const reverted = await rpc
    .simulate({ from: sender.address, to, value: 0n })
    .catch((caught: unknown) => caught)
  expect(reverted).toMatchObject({
    code: 'SIMULATION_REVERTED',
    message: 'Simulation on network anvil reverted: nope',
  })

  // The second endpoint was never asked, and the first is not held against its answers.
  expect(second.connections).toBe(0)
  expect(rpc.endpoints()).toEqual([
    { index: 0, status: 'healthy', consecutiveFailures: 0, lastError: null, reportedChainId: 31337 },
    { index: 1, status: 'unverified', consecutiveFailures: 0, lastError: null, reportedChainId: null },
  ])
})

test('a breaker opens after consecutive failures, skips its endpoint, and lets it back after the cool-down', async () => {
  const [first, second] = [await proxy(), await proxy()]
  const { log, entries } = capture()
  const rpc = pooled(through(first.url, second.url), { failureThreshold: 2, coolDownMs: 200, log })
  await rpc.getBlockNumber()
  await first.stop()
  await rpc.getBlockNumber()
  await rpc.getBlockNumber()
  expect(rpc.endpoints()[0]).toMatchObject({ status: 'circuit_open', consecutiveFailures: 2 })

  // Back up, but the breaker is still open: nothing goes to it.
  await first.restart()
  const before = first.connections
  await rpc.getBlockNumber()
  expect(first.connections).toBe(before)

  while (rpc.endpoints()[0]?.status !== 'half_open') await new Promise((resolve) => setTimeout(resolve, 20))
  await rpc.getBlockNumber()
  expect(first.connections).toBeGreaterThan(before)
  expect(rpc.endpoints()[0]).toMatchObject({ status: 'healthy', consecutiveFailures: 0 })

  expect(entries.map(([level, message]) => [level, message])).toEqual([
    [
      'warn',
      expect.stringMatching(/^RPC #1 of network anvil failed 2 times in a row \(\w+\): skipped for 200 ms$/),
    ],
    ['info', 'RPC #1 of network anvil answers again'],
  ])
  const shown = JSON.stringify({ entries, endpoints: rpc.endpoints() })
  for (const port of [first.port, second.port, anvil.port]) expect(shown).not.toContain(String(port))
})

test('error: with every endpoint down, RPC_UNAVAILABLE (retryable), at once while the breakers are open', async () => {
  const [first, second] = [await proxy(), await proxy()]
  const rpc = pooled(through(first.url, second.url), { failureThreshold: 1, retryCount: 0 })
  await first.stop()
  await second.stop()
  for (let attempt = 0; attempt < 3; attempt++) {
    const error = await rpc.getBlockNumber().catch((caught: unknown) => caught)
    expect(error).toMatchObject({
      code: 'RPC_UNAVAILABLE',
      message: 'RPC for network anvil is unreachable',
      details: { retryable: true, reason: 'ECONNREFUSED' },
    })
  }
  expect(rpc.endpoints().map((endpoint) => endpoint.status)).toEqual(['circuit_open', 'circuit_open'])
})

test('concurrent reads still go out as one JSON-RPC batch', async () => {
  const bodies: unknown[] = []
  const relay = createServer(async (request, response) => {
    let body = ''
    for await (const chunk of request) body += chunk
    bodies.push(JSON.parse(body))
    const answer = await fetch(anvil.rpcUrl, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    })
    response.writeHead(200, { 'content-type': 'application/json' }).end(await answer.text())
  })
  relays.push(relay)
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve))
  const rpc = pooled(through(`http://127.0.0.1:${(relay.address() as AddressInfo).port}`))
  await rpc.getBlockNumber()
  bodies.length = 0

  const addresses = anvilAccounts.map((account) => account.address)
  const balances = await Promise.all(addresses.map((address) => rpc.getBalances(address)))
  expect(balances).toHaveLength(addresses.length)
  expect(bodies).toHaveLength(1)
  expect(bodies[0]).toHaveLength(addresses.length)
})

describe('chain id of every endpoint', () => {
  let other: Anvil
  beforeAll(async () => {
    other = await startAnvil({ chainId: 4242 })
  })
  afterAll(() => other?.stop())

  test('error: an endpoint of another chain is refused at verifyChain (CHAIN_ID_MISMATCH) and kept out of service', async () => {
    const { log, entries } = capture()
    const adapter = createEvmAdapter(through(anvil.rpcUrl, other.rpcUrl), { chainCheckIntervalMs: 0, log })
    onTestFinished(() => adapter.close?.())
    await expect(adapter.verifyChain()).rejects.toMatchObject({
      code: 'CHAIN_ID_MISMATCH',
      message: 'network "anvil" is configured with chain id 31337 but RPC #2 reports 4242',
      details: { network: 'anvil', configured: 31337, reported: 4242 },
    })
    expect(adapter.endpoints?.().map((endpoint) => endpoint.status)).toEqual(['healthy', 'wrong_chain'])
    expect(entries).toEqual([
      [
        'error',
        'RPC #2 of network anvil reports chain id 4242, not the configured 31337: taken out of service',
        { network: 'anvil', endpoint: 1, configuredChainId: 31337, reportedChainId: 4242 },
      ],
    ])
  })

  test('the periodic check takes an endpoint that changed chains out of service, and back once it is right', async () => {
    const [first, second] = [await proxy(), await proxy()]
    const { log, entries } = capture()
    const rpc = pooled(through(first.url, second.url), { log, retryCount: 0 })
    // The first check after a restart may meet the kept-alive connection the restart cut; the next reads the new node.
    const recheck = async () => {
      await rpc.checkEndpoints()
      return rpc.checkEndpoints()
    }
    expect((await rpc.checkEndpoints()).map((endpoint) => endpoint.status)).toEqual(['healthy', 'healthy'])

    await second.restart(other.port)
    expect((await recheck())[1]).toMatchObject({
      index: 1,
      status: 'wrong_chain',
      consecutiveFailures: 0,
      reportedChainId: 4242,
    })
    expect(entries.filter(([level]) => level === 'error')).toEqual([
      [
        'error',
        'RPC #2 of network anvil reports chain id 4242, not the configured 31337: taken out of service',
        { network: 'anvil', endpoint: 1, configuredChainId: 31337, reportedChainId: 4242 },
      ],
    ])

    // With the right one down, nothing is answered from the other chain.
    await first.stop()
    for (const read of [() => rpc.getBlockNumber(), () => rpc.getChainId()]) {
      await expect(read()).rejects.toMatchObject({ code: 'RPC_UNAVAILABLE', details: { retryable: true } })
    }

    await second.restart(anvil.port)
    expect((await recheck())[1]).toMatchObject({ status: 'healthy', reportedChainId: 31337 })
    expect(await rpc.getChainId()).toBe(31337)
    // Loudly out, and back; nothing else said about it.
    expect(
      entries.filter(([, , fields]) => fields.endpoint === 1).map(([level, message]) => [level, message]),
    ).toEqual([
      [
        'error',
        'RPC #2 of network anvil reports chain id 4242, not the configured 31337: taken out of service',
      ],
      ['warn', 'RPC #2 of network anvil reports chain id 31337 again: back in service'],
    ])
  })

  test('error: only endpoints of another chain → RPC_UNAVAILABLE (wrong_chain_id)', async () => {
    const rpc = pooled({ ...anvil.network, rpcUrls: [other.rpcUrl] })
    await rpc.checkEndpoints()
    await expect(rpc.getBlockNumber()).rejects.toMatchObject({
      code: 'RPC_UNAVAILABLE',
      details: { retryable: true, reason: 'wrong_chain_id' },
    })
  })

  test('verifyChain passes with one endpoint down; that one is checked before its first use', async () => {
    const [first, second] = [await proxy(), await proxy()]
    await first.stop()
    const adapter = createEvmAdapter(through(first.url, second.url), {
      chainCheckIntervalMs: 0,
      log: () => {},
    })
    onTestFinished(() => adapter.close?.())
    await adapter.verifyChain()
    expect(adapter.endpoints?.().map((endpoint) => endpoint.status)).toEqual(['unverified', 'healthy'])

    await first.restart(other.port)
    expect(await adapter.getBlockNumber()).toBeGreaterThanOrEqual(0n)
    expect(adapter.endpoints?.().map((endpoint) => endpoint.status)).toEqual(['wrong_chain', 'healthy'])
  })

  test('error: verifyChain with no endpoint answering is RPC_UNAVAILABLE', async () => {
    const down = await proxy()
    await down.stop()
    const adapter = createEvmAdapter(through(down.url), {
      chainCheckIntervalMs: 0,
      retryCount: 0,
      log: () => {},
    })
    await expect(adapter.verifyChain()).rejects.toMatchObject({
      code: 'RPC_UNAVAILABLE',
      details: { retryable: true, reason: 'ECONNREFUSED' },
    })
  })

  test('the check also runs on its own timer, until close()', async () => {
    const rpc = createEvmRpc(anvil.network, { chainCheckIntervalMs: 10, log: () => {} })
    try {
      while (rpc.endpoints()[0]?.status !== 'healthy') await new Promise((resolve) => setTimeout(resolve, 10))
      expect(rpc.endpoints()[0]?.reportedChainId).toBe(31337)
    } finally {
      rpc.close()
    }
  })
})
