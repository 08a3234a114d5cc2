import { startTestAnvil, type TestAnvil, waitForReceipt } from '@bursar/testing/anvil'
import { type Address, parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { anvilAccounts } from '../anvil/anvilAccounts.ts'
import { createEvmRpc, type EvmRpc } from '../createEvmRpc.ts'

let anvil: TestAnvil
let adapter: EvmRpc
const sender = privateKeyToAccount(anvilAccounts[1].privateKey)
const recipient: Address = privateKeyToAccount(generatePrivateKey()).address

beforeAll(async () => {
  anvil = await startTestAnvil()
  adapter = createEvmRpc(anvil.network)
})
afterAll(() => anvil?.stop())

async function signTransfer(value: bigint, nonce?: number) {
  const tx = adapter.buildTransaction({
    to: recipient,
    value,
    nonce: nonce ?? (await adapter.getTransactionCount(sender.address, 'pending')),
    gas: 21_000n,
    ...(await adapter.estimateFees()),
  })
  return sender.signTransaction(tx)
}

test('broadcasting a mined transaction again returns its hash', async () => {
  const signed = await signTransfer(1n)
  const hash = await adapter.broadcast(signed)
  expect(await waitForReceipt(adapter, hash)).toMatchObject({ status: 'success' })
  // The node now answers "nonce too low"; the adapter sees the transaction itself is on chain.
  expect(await adapter.broadcast(signed)).toBe(hash)
})

test('broadcasting a pending transaction again returns its hash', async () => {
  await anvil.testClient.setAutomine(false)
  try {
    const signed = await signTransfer(2n)
    const hash = await adapter.broadcast(signed)
    expect(await adapter.broadcast(signed)).toBe(hash)
    expect(await adapter.getTransaction(hash)).toEqual({ blockNumber: null })
    await anvil.testClient.mine({ blocks: 1 })
    expect(await adapter.getReceipt(hash)).toMatchObject({ status: 'success' })
  } finally {
    await anvil.testClient.setAutomine(true)
  }
})

test('error: nonce already used by a different transaction is final', async () => {
  const nonce = await adapter.getTransactionCount(sender.address, 'pending')
  // Mined first: while it is only pending, the node calls the second one an underpriced replacement instead.
  await waitForReceipt(adapter, await adapter.broadcast(await signTransfer(3n, nonce)))
  const error = await adapter.broadcast(await signTransfer(4n, nonce)).catch((caught: unknown) => caught)
  expect(error).toMatchObject({
    code: 'VALIDATION_FAILED',
    details: { network: 'anvil', retryable: false, reason: 'sequence_too_low' },
  })
})

test('error: a sender who cannot pay is INSUFFICIENT_FUNDS and final', async () => {
  const pauper = privateKeyToAccount(generatePrivateKey())
  const tx = adapter.buildTransaction({
    to: recipient,
    value: parseEther('1'),
    nonce: 0,
    gas: 21_000n,
    ...(await adapter.estimateFees()),
  })
  const error = await adapter.broadcast(await pauper.signTransaction(tx)).catch((caught: unknown) => caught)
  expect(error).toMatchObject({
    code: 'INSUFFICIENT_FUNDS',
    details: { retryable: false, reason: 'insufficient_funds' },
  })
})

test('error: gas below the intrinsic cost is final', async () => {
  const tx = adapter.buildTransaction({
    to: recipient,
    value: 1n,
    nonce: await adapter.getTransactionCount(sender.address, 'pending'),
    gas: 20_000n,
    ...(await adapter.estimateFees()),
  })
  const error = await adapter.broadcast(await sender.signTransaction(tx)).catch((caught: unknown) => caught)
  expect(error).toMatchObject({ details: { retryable: false, reason: 'intrinsic_gas_too_low' } })
})
