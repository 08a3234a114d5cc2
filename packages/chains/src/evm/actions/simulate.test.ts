import {
  deployRevertingContract,
  deployTestToken,
  startTestAnvil,
  type TestAnvil,
} from '@bursar/testing/anvil'
import { encodeErrorResult, parseAbi, parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { anvilAccounts } from '../anvil/anvilAccounts.ts'
import { createEvmRpc, type EvmRpc } from '../createEvmRpc.ts'
import { encodeErc20Transfer } from '../erc20/encodeErc20Transfer.ts'

let anvil: TestAnvil
let adapter: EvmRpc
const from = anvilAccounts[2].address
const somebody = privateKeyToAccount(generatePrivateKey()).address
const errors = parseAbi(['error Error(string)', 'error Panic(uint256)'])

beforeAll(async () => {
  anvil = await startTestAnvil()
  adapter = createEvmRpc(anvil.network)
})
afterAll(() => anvil?.stop())

test('a plain transfer needs 21000 gas, returned with a 20% margin', async () => {
  expect(await adapter.simulate({ from, to: somebody, value: 1n })).toEqual({ gas: 25_200n })
})

test('error: surfaces an Error(string) revert reason and the raw data', async () => {
  const data = encodeErrorResult({ abi: errors, errorName: 'Error', args: ['nope'] })
  const to = await deployRevertingContract(anvil, data)
  const error = await adapter.simulate({ from, to, value: 0n }).catch((caught: unknown) => caught)
  expect(error).toMatchObject({ code: 'SIMULATION_REVERTED', details: { network: 'anvil', data } })
  expect((error as Error).message).toBe('Simulation on network anvil reverted: nope')
})

test('error: surfaces a panic code', async () => {
  const data = encodeErrorResult({ abi: errors, errorName: 'Panic', args: [0x12n] })
  const to = await deployRevertingContract(anvil, data, '0x0000000000000000000000000000000000000bad')
  const error = await adapter.simulate({ from, to, value: 0n }).catch((caught: unknown) => caught)
  expect(error).toMatchObject({ code: 'SIMULATION_REVERTED', details: { data } })
  expect((error as Error).message).toMatch(/panic 0x12: division or modulo by zero/)
})

test('error: surfaces the selector of a custom error (token transfer beyond balance)', async () => {
  const token = await deployTestToken(anvil, { balances: { [from]: 5n } })
  const data = encodeErc20Transfer(somebody, 6n)
  const error = await adapter
    .simulate({ from, to: token.address, value: 0n, data })
    .catch((caught: unknown) => caught)
  expect(error).toMatchObject({ code: 'SIMULATION_REVERTED', details: { data: '0xe450d38c' } })
  expect((error as Error).message).toMatch(/custom error 0xe450d38c/)
  // Within the balance the same call simulates fine.
  const { gas } = await adapter.simulate({
    from,
    to: token.address,
    value: 0n,
    data: encodeErc20Transfer(somebody, 5n),
  })
  expect(gas).toBeGreaterThan(21_000n)
})

test('error: value above the balance is INSUFFICIENT_FUNDS', async () => {
  const error = await adapter
    .simulate({ from: somebody, to: from, value: parseEther('1') })
    .catch((caught: unknown) => caught)
  expect(error).toMatchObject({ code: 'INSUFFICIENT_FUNDS', details: { network: 'anvil' } })
})

test('error: a balance that covers the value but not the gas is INSUFFICIENT_FUNDS', async () => {
  const poor = privateKeyToAccount(generatePrivateKey()).address
  await anvil.testClient.setBalance({ address: poor, value: parseEther('1') })
  const error = await adapter
    .simulate({ from: poor, to: from, value: parseEther('1') })
    .catch((caught: unknown) => caught)
  expect(error).toMatchObject({
    code: 'INSUFFICIENT_FUNDS',
    details: { address: poor, balance: `${parseEther('1')}` },
  })
})
