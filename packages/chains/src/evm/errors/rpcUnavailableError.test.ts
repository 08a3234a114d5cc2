import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { EvmNetwork } from '@bursar/core/networks'
import { startTestAnvil, type TestAnvil } from '@bursar/testing/anvil'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { anvilAccounts } from '../anvil/anvilAccounts.ts'
import { createEvmRpc } from '../createEvmRpc.ts'

let anvil: TestAnvil
let closedPort: number
const servers: Server[] = []

// A port that was free a moment ago: connecting to it is refused.
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function networkAt(...rpcUrls: string[]): EvmNetwork {
  return { ...anvil.network, name: 'down-net', rpcUrls }
}

beforeAll(async () => {
  anvil = await startTestAnvil()
  closedPort = await freePort()
})
afterAll(async () => {
  for (const server of servers) server.closeAllConnections()
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
  await anvil?.stop()
})

test('error: every operation on an unreachable RPC is RPC_UNAVAILABLE, without URL or credentials', async () => {
  const url = `http://alice:s3cr3t-pw@127.0.0.1:${closedPort}/v2/KEY123?apikey=hunter2`
  const adapter = createEvmRpc(networkAt(url), { retryCount: 0 })
  const from = anvilAccounts[0].address
  const operations = [
    () => adapter.getChainId(),
    () => adapter.getBlockNumber(),
    () => adapter.getTransactionCount(from, 'pending'),
    () => adapter.getBalances(from),
    () => adapter.estimateFees(),
    () => adapter.simulate({ from, to: from, value: 1n }),
    () =>
      adapter.broadcast('0x02f86b827a69808084773594008252089470997970c51812dc3a010c7d01b50e0d17dc79c80180c0'),
    () => adapter.getReceipt(`0x${'11'.repeat(32)}`),
    () => adapter.getTransaction(`0x${'11'.repeat(32)}`),
  ]
  for (const operation of operations) {
    const error = await operation().catch((caught: unknown) => caught)
    expect(error).toMatchObject({
      code: 'RPC_UNAVAILABLE',
      message: 'RPC for network down-net is unreachable',
      details: { network: 'down-net', retryable: true, reason: 'ECONNREFUSED' },
    })
    const everything = JSON.stringify({
      error,
      stack: (error as Error).stack,
      cause: String((error as Error).cause),
    })
    for (const secret of ['alice', 's3cr3t', 'KEY123', 'hunter2', String(closedPort)]) {
      expect(everything).not.toContain(secret)
    }
  }
})

test('error: HTTP 503 is RPC_UNAVAILABLE and retryable', async () => {
  const url = await serve((_request, response) => response.writeHead(503).end('busy'))
  const adapter = createEvmRpc(networkAt(url), { retryCount: 0 })
  const error = await adapter.broadcast('0x02').catch((caught: unknown) => caught)
  expect(error).toMatchObject({ code: 'RPC_UNAVAILABLE', details: { retryable: true, reason: 'http_503' } })
})

test('error: a node that never answers times out as RPC_UNAVAILABLE', async () => {
  const url = await serve(() => {})
  const adapter = createEvmRpc(networkAt(url), { retryCount: 0, timeoutMs: 200 })
  const error = await adapter.getBlockNumber().catch((caught: unknown) => caught)
  expect(error).toMatchObject({ code: 'RPC_UNAVAILABLE', details: { retryable: true, reason: 'timeout' } })
})

test('falls back to the next RPC URL when the first is down', async () => {
  const adapter = createEvmRpc(networkAt(`http://127.0.0.1:${closedPort}`, anvil.rpcUrl), {
    retryCount: 0,
  })
  expect(await adapter.getChainId()).toBe(31337)
})
