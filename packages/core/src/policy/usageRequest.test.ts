import { describe, expect, test } from 'vitest'
import {
  alice,
  bob,
  compile,
  contractCall,
  nativeTransfer,
  router,
  tokenAsset,
  tokenTransfer,
} from '../../test/policyFixtures.ts'
import { usageRequest } from './usageRequest.ts'

describe('usageRequest', () => {
  const policy = compile({
    limits: {
      windows: [
        { window: '1h', asset: 'anvil:native', max: '10' },
        { window: '24h', asset: 'anvil:native', max: '100' },
        { window: '7d', asset: tokenAsset, max: '1000' },
        { window: '24h', maxUsd: '50' },
        { window: '7d', maxUsd: '100' },
      ],
    },
    rateLimits: [
      { window: '1m', max: 5 },
      { window: '1h', max: 50 },
    ],
    approvals: { approvers: ['role:owner'], rules: [{ newRecipient: true }] },
  })

  test('asks only for the windows of the assets the intent moves', () => {
    expect(usageRequest(policy, nativeTransfer(alice, 1n))).toEqual({
      spend: [
        { asset: 'anvil:native', windowSeconds: 3600 },
        { asset: 'anvil:native', windowSeconds: 86_400 },
      ],
      fees: [],
      usdWindows: [86_400, 604_800],
      countWindows: [60, 3600],
      recipientHistory: true,
      recipients: [alice],
    })
  })

  test('a token transfer asks for the token windows and the token recipient', () => {
    expect(usageRequest(policy, tokenTransfer(bob, 1n))).toMatchObject({
      spend: [{ asset: tokenAsset, windowSeconds: 604_800 }],
      recipients: [bob.toLowerCase()],
    })
  })

  test('a call moving nothing asks for no spend', () => {
    expect(usageRequest(policy, contractCall(router, '0x12345678')).spend).toEqual([])
  })

  test('an empty policy asks for nothing', () => {
    expect(usageRequest(compile({}), nativeTransfer(alice, 1n))).toEqual({
      spend: [],
      fees: [],
      usdWindows: [],
      countWindows: [],
      recipientHistory: false,
      recipients: [alice],
    })
  })
})
