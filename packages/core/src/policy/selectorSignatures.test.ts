import { describe, expect, test } from 'vitest'
import { alice, approveCall, compile, evaluate, tokenAsset } from '../../test/policyFixtures.ts'
import { validatePolicy } from './validatePolicy.ts'

describe('function signatures in policies', () => {
  test.each(['approve(address,uint)', 'foo(int)', 'bar(byte,address)', 'baz(uint[],address)'])(
    'error: the alias in %s is rejected with its path instead of hashing to a selector that never matches',
    (signature) => {
      const result = validatePolicy({ contracts: { selectors: { deny: [signature] } } })
      expect(result.ok).toBe(false)
      if (!result.ok)
        expect(result.issues[0]).toMatchObject({
          path: '$.contracts.selectors.deny[0]',
          message: expect.stringContaining('alias'),
        })
    },
  )

  test('canonical signatures and selectors are accepted', () => {
    expect(
      validatePolicy({
        contracts: { selectors: { deny: ['approve(address,uint256)', '0x095ea7b3', 'f(uint8,bytes32)'] } },
      }).ok,
    ).toBe(true)
  })
})

test('every unlisted asset of one intent is reported', () => {
  const policy = compile({
    limits: {
      onlyListedAssets: true,
      perTransaction: [{ asset: 'anvil:0x0000000000000000000000000000000000000001', max: '1' }],
    },
  })
  const approval = approveCall(alice, 5n)
  const intent = {
    ...approval,
    value: 7n,
    effects: [
      ...approval.effects,
      { kind: 'transfer' as const, asset: 'anvil:native', amount: 7n, to: approval.target },
    ],
  }
  const reasons = evaluate(policy, intent).reasons.filter((reason) => reason.code === 'ASSET_NOT_LISTED')
  expect(reasons.map((reason) => reason.asset).sort()).toEqual(['anvil:native', tokenAsset].sort())
})
