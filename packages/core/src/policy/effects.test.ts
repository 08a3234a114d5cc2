import { describe, expect, test } from 'vitest'
import {
  alice,
  approveCall,
  carol,
  codes,
  compile,
  contractCall,
  evaluate,
  nativeTransfer,
  router,
  token,
  tokenAsset,
  tokenTransfer,
  usageWith,
  withFee,
  withValue,
} from '../../test/policyFixtures.ts'
import type { EffectiveIntent } from '../chains/EffectiveIntent.ts'
import { usageRequest } from './usageRequest.ts'
import { validatePolicy } from './validatePolicy.ts'

/** The hostile review's first bypass: value to the target, a zero token transfer to an allowed party in the data. */
const valueToAttacker: EffectiveIntent = {
  ...withValue({ ...tokenTransfer(alice, 0n, carol), type: 'call', targetIsToken: false }, 5n),
}

describe('every party that gains something is checked', () => {
  test('error: value to an unlisted target hidden behind transfer(alice, 0) calldata is denied', () => {
    const decision = evaluate({ recipients: { allow: [alice] } }, valueToAttacker)
    expect(codes(decision)).toEqual(['RECIPIENT_NOT_ALLOWLISTED'])
    expect(decision.reasons[0]?.message).toContain(carol)
    expect(decision.effective).toMatchObject({ asset: 'anvil:native', amount: '5', recipient: carol })
    expect(decision.effective.recipients).toEqual([alice, carol])
  })

  test('both parties on the allowlist: allowed, and both amounts reserved', () => {
    const intent = { ...withValue(tokenTransfer(alice, 7n), 5n), type: 'call' as const }
    const decision = evaluate({ recipients: { allow: [alice, token] } }, intent)
    expect(decision.outcome).toBe('allow')
    expect(decision.reservations).toEqual([
      { asset: tokenAsset, amount: '7', kind: 'spend' },
      { asset: 'anvil:native', amount: '5', kind: 'spend' },
    ])
  })

  test('a new-recipient approval rule triggers when any party is new', () => {
    const policy = { approvals: { approvers: ['role:owner'], rules: [{ newRecipient: true }] } }
    const knowsAlice = usageWith({ knownRecipients: new Set([alice]) })
    expect(evaluate(policy, valueToAttacker, knowsAlice).outcome).toBe('require_approval')
    const knowsBoth = usageWith({ knownRecipients: new Set([alice, carol]) })
    expect(evaluate(policy, valueToAttacker, knowsBoth).outcome).toBe('allow')
  })

  test('the denylist catches a party that only receives an allowance', () => {
    expect(codes(evaluate({ recipients: { deny: [carol] } }, approveCall(carol, 1n)))).toEqual([
      'RECIPIENT_DENYLISTED',
    ])
  })

  test('a call the engine cannot read makes its target a party', () => {
    expect(codes(evaluate({ recipients: { allow: [alice] } }, contractCall(router, '0x12345678')))).toEqual([
      'RECIPIENT_NOT_ALLOWLISTED',
    ])
  })
})

describe('calls whose effect cannot be valued', () => {
  const unknownOnToken: EffectiveIntent = { ...contractCall(token, '0x4000aea0'), targetIsToken: true }

  test.each([
    ['a configured token', {}, unknownOnToken],
    [
      'an asset the policy names',
      { limits: { perTransaction: [{ asset: `anvil:${router}`, max: '1' }] } },
      contractCall(router, '0x12345678'),
    ],
    [
      'any contract under onlyListedAssets',
      { limits: { onlyListedAssets: true, perTransaction: [{ asset: 'anvil:native', max: '1' }] } },
      contractCall(router, '0x12345678'),
    ],
  ])(
    'error: an unknown function on %s is denied (UNVALUED_CALL), nothing reserved',
    (_name, policy, intent) => {
      const decision = evaluate(policy, intent)
      expect(codes(decision)).toContain('UNVALUED_CALL')
      expect(decision.reservations).toEqual([])
    },
  )

  test('the owner can allow the function explicitly', () => {
    expect(codes(evaluate({ contracts: { allowUnvalued: ['0x4000aea0'] } }, unknownOnToken))).toEqual([])
  })

  test('error: an unknown function on a token the price source prices is denied, even under USD-only limits', () => {
    const prices = (asset: string) =>
      asset === `anvil:${router}` ? { usdMicrosPerUnit: 1_000_000n, decimals: 18 } : undefined
    const decision = evaluate(
      { limits: { perTransaction: [{ maxUsd: '10' }] } },
      contractCall(router, '0x12345678'),
      undefined,
      {
        prices,
      },
    )
    expect(codes(decision)).toEqual(['UNVALUED_CALL'])
  })

  test('an unknown function on a contract no rule is about stays allowed (plain contract calls)', () => {
    expect(codes(evaluate({}, contractCall(router, '0x12345678')))).toEqual([])
  })

  test('an operator grant counts as unlimited', () => {
    const grant: EffectiveIntent = {
      ...approveCall(router, 2n ** 256n - 1n),
      effects: [
        { kind: 'approval', asset: tokenAsset, amount: 2n ** 256n - 1n, to: router, unlimited: true },
      ],
    }
    expect(codes(evaluate({ contracts: { forbidUnlimitedApprovals: true } }, grant))).toEqual([
      'UNLIMITED_APPROVAL_FORBIDDEN',
    ])
    expect(
      codes(evaluate({ limits: { perTransaction: [{ asset: tokenAsset, max: '1000' }] } }, grant)),
    ).toEqual(['LIMIT_PER_TX_EXCEEDED'])
  })
})

describe('Cedar sees every movement, not just the headline', () => {
  test('error: a rule about native value still holds when a decoy token transfer comes first', () => {
    const policy = {
      cedar: [
        {
          id: 'no-eth',
          policy: 'forbid (principal, action, resource) when { context.asset == "anvil:native" };',
        },
      ],
    }
    const decoy = withValue(
      { ...tokenTransfer(carol, 1n, carol), type: 'call', targetIsToken: false },
      10n ** 18n,
    )
    expect(codes(evaluate(policy, decoy))).toEqual(['CEDAR_FORBID'])
    expect(evaluate(policy, decoy).effective).toMatchObject({
      asset: 'anvil:native',
      amount: '1000000000000000000',
    })
  })

  test('error: an approval to anyone but the router is caught inside a multicall', () => {
    const policy = {
      cedar: [
        {
          id: 'approve-router-only',
          policy: `forbid (principal, action, resource) when { context.tokenFunction == "approve" && context.recipient != "${router}" };`,
        },
      ],
    }
    const multicall: EffectiveIntent = {
      ...approveCall(router, 1n),
      effects: [
        { kind: 'approval', asset: tokenAsset, amount: 1n, to: router, via: 'approve' },
        { kind: 'approval', asset: tokenAsset, amount: 2n ** 256n - 1n, to: carol, via: 'approve' },
      ],
    }
    expect(codes(evaluate(policy, multicall))).toEqual(['CEDAR_FORBID'])
    expect(codes(evaluate(policy, approveCall(router, 5n)))).toEqual([])
  })

  test('with permit rules, every movement must be permitted', () => {
    const policy = {
      cedar: [
        {
          id: 'native-only',
          policy: 'permit (principal, action, resource) when { context.asset == "anvil:native" };',
        },
      ],
    }
    expect(codes(evaluate(policy, nativeTransfer(alice, 1n)))).toEqual([])
    const mixed = withValue({ ...tokenTransfer(alice, 1n), type: 'call' }, 1n)
    expect(codes(evaluate(policy, mixed))).toEqual(['CEDAR_NOT_PERMITTED'])
  })
})

describe('network fees are spend', () => {
  const zeroEth = { limits: { perTransaction: [{ asset: 'anvil:native', max: '0' }] } }

  test('error: under a policy allowing 0 wei of ETH, a call that burns gas is denied', () => {
    const decision = evaluate(zeroEth, withFee(contractCall(router, '0x12345678'), 21_000n))
    expect(codes(decision)).toEqual(['LIMIT_PER_TX_EXCEEDED'])
    expect(decision.reasons[0]).toMatchObject({ observed: '21000', limit: '0' })
  })

  test('fees add to the value in native limits and are reserved apart', () => {
    const policy = { limits: { windows: [{ window: '24h', asset: 'anvil:native', max: '1000' }] } }
    const intent = withFee(nativeTransfer(alice, 900n), 100n)
    const decision = evaluate(policy, intent)
    expect(decision.outcome).toBe('allow')
    expect(decision.reservations).toEqual([
      { asset: 'anvil:native', amount: '900', kind: 'spend' },
      { asset: 'anvil:native', amount: '100', kind: 'fee' },
    ])
    expect(codes(evaluate(policy, withFee(nativeTransfer(alice, 900n), 101n)))).toEqual([
      'LIMIT_WINDOW_EXCEEDED',
    ])
  })

  test('a fee alone does not need the native asset listed under onlyListedAssets', () => {
    const policy = { limits: { onlyListedAssets: true, perTransaction: [{ asset: tokenAsset, max: '10' }] } }
    expect(codes(evaluate(policy, withFee(tokenTransfer(alice, 5n), 50n)))).toEqual([])
  })

  test('the policy fee cap, else the network default, bounds the fee', () => {
    const capped = { fees: { perTransaction: [{ asset: 'anvil:native', max: '50' }] } }
    expect(codes(evaluate(capped, withFee(nativeTransfer(alice, 1n), 50n)))).toEqual([])
    expect(codes(evaluate(capped, withFee(nativeTransfer(alice, 1n), 51n)))).toEqual(['FEE_CAP_EXCEEDED'])
    const network = { defaultFeeCap: 10n }
    expect(codes(evaluate({}, withFee(nativeTransfer(alice, 1n), 11n), undefined, network))).toEqual([
      'FEE_CAP_EXCEEDED',
    ])
    // The policy's own cap wins over the network's default, even when higher.
    expect(codes(evaluate(capped, withFee(nativeTransfer(alice, 1n), 50n), undefined, network))).toEqual([])
  })

  test('error: a fee cap on a token is refused', () => {
    expect(() =>
      evaluate({ fees: { perTransaction: [{ asset: tokenAsset, max: '1' }] } }, nativeTransfer(alice, 1n)),
    ).toThrow(/native asset/)
  })
})

function issuesOf(document: unknown) {
  const result = validatePolicy(document)
  return result.ok ? [] : result.issues
}

describe('fee budgets (fees.windows)', () => {
  const budget = { fees: { windows: [{ id: 'gas-day', window: '24h', asset: 'anvil:native', max: '1000' }] } }
  const key = 'anvil:native|86400'

  test('fees already in the window plus this ceiling must fit; value moved does not count', () => {
    const usage = usageWith({ fees: new Map([[key, 900n]]), spend: new Map([[key, 10n ** 18n]]) })
    expect(codes(evaluate(budget, withFee(nativeTransfer(alice, 10n ** 18n), 100n), usage))).toEqual([])
    const over = evaluate(budget, withFee(nativeTransfer(alice, 1n), 101n), usage)
    expect(codes(over)).toEqual(['FEE_WINDOW_EXCEEDED'])
    expect(over.reasons[0]).toMatchObject({
      rule: 'gas-day',
      limit: '1000',
      observed: '1001',
      unit: 'base_units',
      asset: 'anvil:native',
    })
  })

  test('the database is asked for fees alone, only when the intent pays a fee in that asset', () => {
    const compiled = compile(budget)
    expect(usageRequest(compiled, withFee(nativeTransfer(alice, 1n), 5n)).fees).toEqual([
      { asset: 'anvil:native', windowSeconds: 86_400 },
    ])
    expect(usageRequest(compiled, nativeTransfer(alice, 1n)).fees).toEqual([])
    const skipped = evaluate(budget, nativeTransfer(alice, 1n), usageWith({ fees: new Map([[key, 5000n]]) }))
    expect(skipped.outcome).toBe('allow')
    expect(skipped.explanation).toContainEqual(expect.objectContaining({ rule: 'gas-day', result: 'skip' }))
  })

  test('error: a fee budget on a token, and a duplicate id, are refused at their paths', () => {
    const issues = issuesOf({ fees: { windows: [{ window: '1h', asset: tokenAsset, max: '1' }] } })
    expect(issues).toContainEqual(expect.objectContaining({ path: '$.fees.windows[0].asset' }))
    const twice = issuesOf({
      fees: {
        perTransaction: [{ id: 'gas', asset: 'anvil:native', max: '1' }],
        windows: [{ id: 'gas', window: '1h', asset: 'anvil:native', max: '1' }],
      },
    })
    expect(twice).toContainEqual(expect.objectContaining({ path: '$.fees.windows[0].id' }))
  })
})
