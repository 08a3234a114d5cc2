import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createEvmRpc } from '../createEvmRpc.ts'
import { anvilAccounts } from './anvilAccounts.ts'
import { anvilNetwork } from './anvilNetwork.ts'
import { startAnvil } from './startAnvil.ts'

let directory: string

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'bursar-anvil-'))
})
afterAll(() => rm(directory, { recursive: true, force: true }))

const network = anvilNetwork

test('a state file keeps a transfer across stop and start', async () => {
  const stateFile = join(directory, 'nested', 'state.json')
  const recipient = privateKeyToAccount(generatePrivateKey()).address
  const sender = privateKeyToAccount(anvilAccounts[4].privateKey)

  const first = await startAnvil({ stateFile })
  try {
    const adapter = createEvmRpc(network(first.rpcUrl))
    const tx = adapter.buildTransaction({
      to: recipient,
      value: parseEther('3'),
      nonce: 0,
      gas: 21_000n,
      ...(await adapter.estimateFees()),
    })
    const hash = await adapter.broadcast(await sender.signTransaction(tx))
    // Automine mines just after answering: stopping before the block exists would persist a state without it.
    while (!(await adapter.getReceipt(hash))) await new Promise((resolve) => setTimeout(resolve, 10))
  } finally {
    await first.stop()
  }

  const second = await startAnvil({ stateFile })
  try {
    const adapter = createEvmRpc(network(second.rpcUrl))
    expect((await adapter.getBalances(recipient))[0]?.amount).toBe(parseEther('3'))
    expect(await adapter.getTransactionCount(sender.address, 'latest')).toBe(1)
  } finally {
    await second.stop()
  }
})

test('picks a free port and honours chainId', async () => {
  const anvil = await startAnvil({ chainId: 4242 })
  try {
    expect(anvil.port).toBeGreaterThan(0)
    expect(anvil.rpcUrl).toBe(`http://127.0.0.1:${anvil.port}`)
    expect(await createEvmRpc(network(anvil.rpcUrl)).getChainId()).toBe(4242)
  } finally {
    await anvil.stop()
  }
})

test('error: rejects with anvil own words when it exits early (port taken)', async () => {
  const running = await startAnvil()
  try {
    await expect(startAnvil({ port: running.port })).rejects.toThrow(
      /anvil exited before it was ready \(exit code 1\): .*Address already in use/,
    )
  } finally {
    await running.stop()
  }
})

test('stop is idempotent', async () => {
  const anvil = await startAnvil()
  await anvil.stop()
  await anvil.stop()
})
