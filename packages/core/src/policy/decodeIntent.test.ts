import { encodeFunctionData, erc20Abi, maxUint256 } from 'viem'
import { describe, expect, test } from 'vitest'
import { decodeIntent } from './decodeIntent.ts'
import {
  alice,
  approveCall,
  bob,
  contractCall,
  nativeTransfer,
  router,
  token,
  tokenAsset,
  tokenTransfer,
} from './testFixtures.ts'

describe('decodeIntent', () => {
  test('native transfer: the value to the target', () => {
    expect(decodeIntent(nativeTransfer(bob, 5n))).toMatchObject({
      asset: 'anvil:native',
      amount: 5n,
      recipient: bob.toLowerCase(),
      hasData: false,
      selector: undefined,
      spends: [{ asset: 'anvil:native', amount: 5n }],
    })
  })

  test('ERC-20 transfer: the token, its amount and its recipient', () => {
    expect(decodeIntent(tokenTransfer(bob, 7n))).toMatchObject({
      asset: tokenAsset,
      amount: 7n,
      recipient: bob.toLowerCase(),
      target: token,
      selector: '0xa9059cbb',
      token: { fn: 'transfer', amount: 7n, counterparty: bob.toLowerCase() },
      spends: [{ asset: tokenAsset, amount: 7n }],
    })
  })

  test('ERC-20 transferFrom: the `to` argument is the recipient', () => {
    const data = encodeFunctionData({ abi: erc20Abi, functionName: 'transferFrom', args: [alice, bob, 9n] })
    expect(decodeIntent(contractCall(token, data))).toMatchObject({
      asset: tokenAsset,
      amount: 9n,
      recipient: bob.toLowerCase(),
    })
  })

  test('ERC-20 approve: the spender and the allowance', () => {
    expect(decodeIntent(approveCall(router, maxUint256))).toMatchObject({
      asset: tokenAsset,
      amount: maxUint256,
      recipient: router,
    })
  })

  test('native value and a token transfer in one call: both are spent', () => {
    const intent = { ...tokenTransfer(bob, 7n), value: 3n }
    expect(decodeIntent(intent).spends).toEqual([
      { asset: tokenAsset, amount: 7n },
      { asset: 'anvil:native', amount: 3n },
    ])
  })

  test('dirty high bits in an address word are ignored, as token contracts read it', () => {
    const clean = tokenTransfer(bob, 7n).data as string
    const dirty = `${clean.slice(0, 10)}${'ff'.repeat(12)}${clean.slice(34)}` as `0x${string}`
    expect(decodeIntent(contractCall(token, dirty)).recipient).toBe(bob.toLowerCase())
  })

  test('other calldata: the native value to the target', () => {
    expect(decodeIntent(contractCall(router, '0x12345678', 4n))).toMatchObject({
      asset: 'anvil:native',
      amount: 4n,
      recipient: router,
      selector: '0x12345678',
      token: undefined,
    })
  })

  test('a zero-value call moves nothing', () => {
    expect(decodeIntent(contractCall(router, '0x12345678')).spends).toEqual([])
  })

  test('a truncated ERC-20 call is flagged as malformed', () => {
    expect(decodeIntent(contractCall(token, '0xa9059cbb00')).malformed).toMatch(/do not decode/)
  })
})
