import { encodeFunctionData, erc20Abi } from 'viem'
import { expect, test } from 'vitest'
import { decodeErc20Call } from './decodeErc20Call.ts'
import { encodeErc20Transfer } from './encodeErc20Transfer.ts'

const alice = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'
const bob = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

test('transfer round-trips through encode and decode', () => {
  const data = encodeErc20Transfer(bob, 1_500_000n)
  expect(data.slice(0, 10)).toBe('0xa9059cbb')
  expect(decodeErc20Call(data)).toEqual({ fn: 'transfer', to: bob, amount: 1_500_000n })
})

test('decodes approve and transferFrom', () => {
  const approve = encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [bob, 7n] })
  expect(decodeErc20Call(approve)).toEqual({ fn: 'approve', spender: bob, amount: 7n })
  const transferFrom = encodeFunctionData({
    abi: erc20Abi,
    functionName: 'transferFrom',
    args: [alice, bob, 9n],
  })
  expect(decodeErc20Call(transferFrom)).toEqual({ fn: 'transferFrom', from: alice, to: bob, amount: 9n })
})

test('undefined for other ERC-20 functions, unknown selectors and malformed calldata', () => {
  expect(
    decodeErc20Call(encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [alice] })),
  ).toBe(undefined)
  expect(decodeErc20Call('0xdeadbeef')).toBe(undefined)
  expect(decodeErc20Call('0x')).toBe(undefined)
  expect(decodeErc20Call(encodeErc20Transfer(bob, 1n).slice(0, 50) as `0x${string}`)).toBe(undefined)
})
