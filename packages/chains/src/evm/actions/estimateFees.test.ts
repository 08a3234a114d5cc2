import { startTestAnvil, type TestAnvil } from '@bursar/testing/anvil'
import { createPublicClient, http } from 'viem'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createEvmRpc } from '../createEvmRpc.ts'

let anvil: TestAnvil

beforeAll(async () => {
  anvil = await startTestAnvil()
})
afterAll(() => anvil?.stop())

test('fees are sane: a nonzero tip and a max fee of at least twice the base fee plus the tip', async () => {
  const adapter = createEvmRpc(anvil.network)
  const { maxFeePerGas, maxPriorityFeePerGas } = await adapter.estimateFees()
  const { baseFeePerGas } = await createPublicClient({ transport: http(anvil.rpcUrl) }).getBlock()
  const baseFee = baseFeePerGas ?? 0n
  expect(maxPriorityFeePerGas).toBeGreaterThan(0n)
  expect(maxFeePerGas).toBeGreaterThanOrEqual(maxPriorityFeePerGas)
  // The next base fee moves at most 12.5% from the last one.
  expect(maxFeePerGas).toBeGreaterThanOrEqual((2n * baseFee * 7n) / 8n + maxPriorityFeePerGas)
})

test('fees are cached for about a second, then fetched again', async () => {
  const adapter = createEvmRpc(anvil.network)
  const [first, concurrent] = await Promise.all([adapter.estimateFees(), adapter.estimateFees()])
  expect(concurrent).toBe(first)
  expect(await adapter.estimateFees()).toBe(first)
  await new Promise((resolve) => setTimeout(resolve, 1_050))
  expect(await adapter.estimateFees()).not.toBe(first)
})
