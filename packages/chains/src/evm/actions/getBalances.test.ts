import { deployTestToken, startTestAnvil, type TestAnvil, waitForReceipt } from '@bursar/testing/anvil'
import { type Address, parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { anvilAccounts } from '../anvil/anvilAccounts.ts'
import { createEvmRpc } from '../createEvmRpc.ts'
import { encodeErc20Transfer } from '../erc20/encodeErc20Transfer.ts'

let anvil: TestAnvil
const holder = privateKeyToAccount(anvilAccounts[3].privateKey)

beforeAll(async () => {
  anvil = await startTestAnvil()
})
afterAll(() => anvil?.stop())

test('returns native and every configured token, token assets as lowercase addresses', async () => {
  const owner: Address = privateKeyToAccount(generatePrivateKey()).address
  await anvil.testClient.setBalance({ address: owner, value: parseEther('2') })
  const token = await deployTestToken(anvil, { symbol: 'USDT', balances: { [owner]: 123n } })
  const adapter = createEvmRpc({ ...anvil.network, tokens: [token] })

  expect(await adapter.getBalances(owner)).toEqual([
    { asset: 'native', symbol: 'ETH', decimals: 18, amount: parseEther('2') },
    { asset: token.address.toLowerCase(), symbol: 'USDT', decimals: 18, amount: 123n },
  ])
})

test('an ERC-20 transfer moves token balances end to end', async () => {
  const recipient: Address = privateKeyToAccount(generatePrivateKey()).address
  const token = await deployTestToken(anvil, {
    address: '0x7e57000000000000000000000000000000000002',
    balances: { [holder.address]: 1_000n },
  })
  const adapter = createEvmRpc({ ...anvil.network, tokens: [token] })
  const data = encodeErc20Transfer(recipient, 400n)
  const { gas } = await adapter.simulate({ from: holder.address, to: token.address, value: 0n, data })
  const tx = adapter.buildTransaction({
    to: token.address,
    value: 0n,
    data,
    gas,
    nonce: await adapter.getTransactionCount(holder.address, 'pending'),
    ...(await adapter.estimateFees()),
  })
  const hash = await adapter.broadcast(await holder.signTransaction(tx))

  expect(await waitForReceipt(adapter, hash)).toMatchObject({ status: 'success' })
  expect((await adapter.getBalances(holder.address))[1]?.amount).toBe(600n)
  expect((await adapter.getBalances(recipient))[1]?.amount).toBe(400n)
})
