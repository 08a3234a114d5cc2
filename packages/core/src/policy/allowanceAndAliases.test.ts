import { encodeFunctionData, maxUint256, parseAbi } from 'viem'
import { describe, expect, test } from 'vitest'
import { alice, codes, compile, contractCall, evaluate, token, tokenAsset } from './testFixtures.ts'
import { validatePolicy } from './validatePolicy.ts'

const increaseAllowance = (spender: string, amount: bigint) =>
  contractCall(
    token,
    encodeFunctionData({
      abi: parseAbi(['function increaseAllowance(address spender, uint256 addedValue) returns (bool)']),
      functionName: 'increaseAllowance',
      args: [spender as `0x${string}`, amount],
    }),
  )

describe('increaseAllowance is read as an approve', () => {
  test('denies an unlimited increaseAllowance when unlimited approvals are forbidden', () => {
    const policy = compile({ contracts: { allow: [token], forbidUnlimitedApprovals: true } })
    expect(codes(evaluate(policy, increaseAllowance(alice, maxUint256)))).toContain(
      'UNLIMITED_APPROVAL_FORBIDDEN',
    )
  })

  test('counts the added allowance against the token limit', () => {
    const policy = compile({ limits: { perTransaction: [{ asset: tokenAsset, max: '100' }] } })
    expect(codes(evaluate(policy, increaseAllowance(alice, 100n)))).toEqual([])
    expect(codes(evaluate(policy, increaseAllowance(alice, 101n)))).toContain('LIMIT_PER_TX_EXCEEDED')
  })
})

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
  const intent = { ...increaseAllowance(alice, 5n), value: 7n }
  const reasons = evaluate(policy, intent).reasons.filter((reason) => reason.code === 'ASSET_NOT_LISTED')
  expect(reasons.map((reason) => reason.asset).sort()).toEqual(['anvil:native', tokenAsset].sort())
})
