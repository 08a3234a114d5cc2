import { BursarError } from '@bursar/core/errors'
import { startTestAnvil, type TestAnvil, waitForReceipt } from '@bursar/testing/anvil'
import { type Address, parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { anvilAccounts } from './anvil/anvilAccounts.ts'
import { createEvmRpc, type EvmRpc } from './createEvmRpc.ts'

let anvil: TestAnvil
let adapter: EvmRpc
const sender = privateKeyToAccount(anvilAccounts[0].privateKey)

beforeAll(async () => {
  anvil = await startTestAnvil()
  adapter = createEvmRpc(anvil.network)
})
afterAll(() => anvil?.stop())

test('reads chain id, block number and nonce', async () => {
  expect(await adapter.getChainId()).toBe(31337)
  expect(await adapter.getBlockNumber()).toBeGreaterThanOrEqual(0n)
  expect(await adapter.getTransactionCount(sender.address, 'latest')).toBeGreaterThanOrEqual(0)
})

test('sends native value end to end: simulate, build, sign, broadcast, receipt', async () => {
  const recipient: Address = privateKeyToAccount(generatePrivateKey()).address
  const value = parseEther('0.25')
  const nonce = await adapter.getTransactionCount(sender.address, 'pending')
  const { gas } = await adapter.simulate({ from: sender.address, to: recipient, value })
  const fees = await adapter.estimateFees()
  const tx = adapter.buildTransaction({ to: recipient, value, nonce, gas, ...fees })
  expect(tx).toMatchObject({ type: 'eip1559', chainId: 31337, to: recipient, value, nonce })

  const hash = await adapter.broadcast(await sender.signTransaction(tx))

  const receipt = await waitForReceipt(adapter, hash)
  expect(receipt).toMatchObject({ status: 'success', gasUsed: 21_000n })
  expect(receipt?.blockNumber).toBeGreaterThan(0n)
  expect(receipt?.effectiveGasPrice).toBeLessThanOrEqual(fees.maxFeePerGas)
  expect(await adapter.getTransaction(hash)).toEqual({ blockNumber: receipt?.blockNumber })
  expect(await adapter.getTransactionCount(sender.address, 'latest')).toBe(nonce + 1)
  const [native] = await adapter.getBalances(recipient)
  expect(native).toEqual({ asset: 'native', symbol: 'ETH', decimals: 18, amount: value })
})

test('getReceipt and getTransaction are null for a hash the node does not know', async () => {
  const unknown = `0x${'ab'.repeat(32)}` as const
  expect(await adapter.getReceipt(unknown)).toBe(null)
  expect(await adapter.getTransaction(unknown)).toBe(null)
})

test('error: buildTransaction refuses a priority fee above the max fee', () => {
  expect(() =>
    adapter.buildTransaction({
      to: sender.address,
      value: 0n,
      nonce: 0,
      gas: 21_000n,
      maxFeePerGas: 1n,
      maxPriorityFeePerGas: 2n,
    }),
  ).toThrow(BursarError)
})

test('error: a network without RPC URLs', () => {
  expect(() => createEvmRpc({ ...anvil.network, rpcUrls: [] })).toThrow(/has no RPC URL/)
})
