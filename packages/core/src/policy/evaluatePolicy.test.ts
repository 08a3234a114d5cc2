import { describe, expect, test } from 'vitest'
import {
  alice,
  approveCall,
  bob,
  carol,
  codes,
  compile,
  contractCall,
  evaluate,
  mondayNoon,
  nativeTransfer,
  router,
  token,
  tokenAsset,
  tokenTransfer,
  usageWith,
  withValue,
} from '../../test/policyFixtures.ts'
import type { EffectiveIntent } from '../chains/EffectiveIntent.ts'

const maxUint256 = 2n ** 256n - 1n
/** swapExactTokensForTokens(uint256,uint256,address[],address,uint256) and one zero word. */
const swapData = `0x38ed1739${'00'.repeat(32)}`

describe('no rules', () => {
  test('a policy with no rules allows everything and reserves what the intent moves', () => {
    const decision = evaluate({}, nativeTransfer(alice, 10n ** 30n))
    expect(decision.outcome).toBe('allow')
    expect(decision.reservations).toEqual([
      { asset: 'anvil:native', amount: (10n ** 30n).toString(), kind: 'spend' },
    ])
  })

  test('the decision is plain JSON', () => {
    const decision = evaluate(
      { limits: { perTransaction: [{ asset: 'anvil:native', max: '1' }] } },
      nativeTransfer(alice, 2n),
    )
    expect(JSON.parse(JSON.stringify(decision))).toEqual(decision)
  })
})

describe('agent status and circuit breaker', () => {
  test.each([
    ['paused agent', { agentStatus: 'paused' as const }, ['AGENT_PAUSED']],
    ['deleted agent', { agentStatus: 'deleted' as const }, ['AGENT_DELETED']],
    ['tripped agent breaker', { breaker: { tripped: true, scope: 'agent' as const } }, ['BREAKER_TRIPPED']],
    [
      'tripped global breaker',
      { breaker: { tripped: true, scope: 'global' as const, reason: 'watchdog' } },
      ['BREAKER_TRIPPED'],
    ],
    [
      'paused and tripped',
      { agentStatus: 'paused' as const, breaker: { tripped: true } },
      ['AGENT_PAUSED', 'BREAKER_TRIPPED'],
    ],
  ])('denies: %s, without evaluating the rest', (_name, overrides, expected) => {
    const decision = evaluate(
      { chains: { allow: ['base'] } },
      nativeTransfer(alice, 1n),
      undefined,
      overrides,
    )
    expect(decision.outcome).toBe('deny')
    expect(codes(decision)).toEqual(expected)
    expect(decision.reservations).toEqual([])
  })
})

describe('chain allowlist', () => {
  test.each([
    ['anvil', ['anvil'], 'allow'],
    ['anvil', ['base', 'anvil'], 'allow'],
    ['anvil', ['base'], 'deny'],
    ['anvil', [], 'deny'],
  ])('network %s with allowlist %j → %s', (network, allow, outcome) => {
    const decision = evaluate({ chains: { allow } }, { ...nativeTransfer(alice, 1n), network })
    expect(decision.outcome).toBe(outcome)
    if (outcome === 'deny') expect(codes(decision)).toEqual(['CHAIN_NOT_ALLOWED'])
  })
})

describe('recipients', () => {
  const table: Array<[string, object, EffectiveIntent, string[]]> = [
    ['allowlisted recipient', { allow: [alice] }, nativeTransfer(alice, 1n), []],
    ['allowlist compares case-insensitively', { allow: [bob.toLowerCase()] }, nativeTransfer(bob, 1n), []],
    [
      'allowlist entry in upper case',
      { allow: [alice.toUpperCase().replace('0X', '0x')] },
      nativeTransfer(alice, 1n),
      [],
    ],
    [
      'recipient not on the allowlist',
      { allow: [alice] },
      nativeTransfer(carol, 1n),
      ['RECIPIENT_NOT_ALLOWLISTED'],
    ],
    ['denylisted recipient', { deny: [carol] }, nativeTransfer(carol, 1n), ['RECIPIENT_DENYLISTED']],
    [
      'denylist beats allowlist',
      { allow: [carol], deny: [carol] },
      nativeTransfer(carol, 1n),
      ['RECIPIENT_DENYLISTED'],
    ],
    [
      'denylist compares case-insensitively',
      { deny: [bob] },
      nativeTransfer(bob.toLowerCase(), 1n),
      ['RECIPIENT_DENYLISTED'],
    ],
    [
      'token transfer: the token recipient is checked',
      { allow: [alice] },
      tokenTransfer(carol, 1n),
      ['RECIPIENT_NOT_ALLOWLISTED'],
    ],
    ['token transfer to an allowlisted person passes', { allow: [alice] }, tokenTransfer(alice, 1n), []],
    [
      'a denylisted contract is denied as the target',
      { deny: [token] },
      tokenTransfer(alice, 1n),
      ['RECIPIENT_DENYLISTED'],
    ],
    [
      'approve: the spender is checked',
      { allow: [router] },
      approveCall(carol, 1n),
      ['RECIPIENT_NOT_ALLOWLISTED'],
    ],
  ]
  test.each(table)('%s', (_name, recipients, intent, expected) => {
    expect(codes(evaluate({ recipients }, intent))).toEqual(expected)
  })
})

describe('contracts and selectors', () => {
  const transferSelector = '0xa9059cbb'
  const table: Array<[string, object, EffectiveIntent, string[]]> = [
    [
      'no calldata: contract rules do not apply',
      { allow: [router], selectors: { allow: [] } },
      nativeTransfer(alice, 1n),
      [],
    ],
    ['allowed contract', { allow: [router] }, contractCall(router, swapData), []],
    [
      'allowed contract, case-insensitive',
      { allow: [router.toUpperCase().replace('0X', '0x')] },
      contractCall(router, swapData),
      [],
    ],
    ['contract not allowed', { allow: [router] }, contractCall(carol, swapData), ['CONTRACT_NOT_ALLOWED']],
    [
      'a token transfer is a contract call',
      { allow: [router] },
      tokenTransfer(alice, 1n),
      ['CONTRACT_NOT_ALLOWED'],
    ],
    ['allowed selector', { selectors: { allow: [transferSelector] } }, tokenTransfer(alice, 1n), []],
    [
      'allowed selector given as a signature',
      { selectors: { allow: ['transfer(address,uint256)'] } },
      tokenTransfer(alice, 1n),
      [],
    ],
    [
      'selector not allowed',
      { selectors: { allow: [transferSelector] } },
      contractCall(router, swapData),
      ['SELECTOR_NOT_ALLOWED'],
    ],
    [
      'blocked selector',
      { selectors: { deny: ['0xA9059CBB'] } },
      tokenTransfer(alice, 1n),
      ['SELECTOR_BLOCKED'],
    ],
    [
      'blocked beats allowed',
      { selectors: { allow: [transferSelector], deny: ['transfer(address,uint256)'] } },
      tokenTransfer(alice, 1n),
      ['SELECTOR_BLOCKED'],
    ],
    [
      'calldata shorter than a selector is not allowed',
      { selectors: { allow: [transferSelector] } },
      contractCall(router, '0xa905'),
      ['SELECTOR_NOT_ALLOWED'],
    ],
    [
      'unlimited approval forbidden',
      { forbidUnlimitedApprovals: true },
      approveCall(router, maxUint256),
      ['UNLIMITED_APPROVAL_FORBIDDEN'],
    ],
    [
      'approval at the threshold 2^96-1 is unlimited',
      { forbidUnlimitedApprovals: true },
      approveCall(router, 2n ** 96n - 1n),
      ['UNLIMITED_APPROVAL_FORBIDDEN'],
    ],
    [
      'approval just below the threshold passes',
      { forbidUnlimitedApprovals: true },
      approveCall(router, 2n ** 96n - 2n),
      [],
    ],
    ['unlimited approval allowed when not forbidden', {}, approveCall(router, maxUint256), []],
  ]
  test.each(table)('%s', (_name, contracts, intent, expected) => {
    expect(codes(evaluate({ contracts }, intent))).toEqual(expected)
  })

  test('explains why contract rules were skipped', () => {
    const decision = evaluate({ contracts: { allow: [router] } }, nativeTransfer(alice, 1n))
    expect(decision.explanation).toContainEqual({
      rule: '$.contracts.allow',
      kind: 'contracts.allow',
      result: 'skip',
      detail: 'no calldata',
    })
  })

  test('malformed calldata (as the adapter reports it) is denied', () => {
    const decision = evaluate(
      {},
      { ...tokenTransfer(alice, 1n), malformed: 'transfer arguments do not decode' },
    )
    expect(codes(decision)).toEqual(['CALLDATA_MALFORMED'])
  })
})

describe('time windows (UTC)', () => {
  const overnightMonday = { timeWindows: [{ days: ['mon'], start: '22:00', end: '06:00' }] }
  const officeHours = {
    timeWindows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09', end: '17:30' }],
  }
  const table: Array<[string, object, string, boolean]> = [
    ['start is inclusive', officeHours, '2024-01-01T09:00:00Z', true],
    ['one minute before the start', officeHours, '2024-01-01T08:59:59Z', false],
    ['end is exclusive', officeHours, '2024-01-01T17:30:00Z', false],
    ['last second before the end', officeHours, '2024-01-01T17:29:59Z', true],
    ['saturday is not a listed day', officeHours, '2024-01-06T12:00:00Z', false],
    ['wrap: Monday 22:00 is inside', overnightMonday, '2024-01-01T22:00:00Z', true],
    ['wrap: Monday 21:59 is outside', overnightMonday, '2024-01-01T21:59:00Z', false],
    ['wrap: Tuesday 03:00 is inside (started Monday)', overnightMonday, '2024-01-02T03:00:00Z', true],
    ['wrap: Tuesday 05:59 is inside', overnightMonday, '2024-01-02T05:59:59Z', true],
    ['wrap: Tuesday 06:00 is outside (end exclusive)', overnightMonday, '2024-01-02T06:00:00Z', false],
    ['wrap: Monday 03:00 is outside (Sunday not listed)', overnightMonday, '2024-01-01T03:00:00Z', false],
    ['wrap: Tuesday 23:00 is outside', overnightMonday, '2024-01-02T23:00:00Z', false],
    [
      'Sunday wraps into Monday',
      { timeWindows: [{ days: ['sun'], start: '23:00', end: '01:00' }] },
      '2024-01-01T00:30:00Z',
      true,
    ],
    [
      'no days means every day',
      { timeWindows: [{ start: '00:00', end: '24:00' }] },
      '2024-01-06T23:59:59Z',
      true,
    ],
    [
      'inside ANY window is enough',
      {
        timeWindows: [
          { start: '01:00', end: '02:00' },
          { start: '12:00', end: '13:00' },
        ],
      },
      '2024-01-03T12:30:00Z',
      true,
    ],
    [
      'an empty window (start == end) matches nothing',
      { timeWindows: [{ start: '12:00', end: '12:00' }] },
      '2024-01-01T12:00:00Z',
      false,
    ],
    ['an empty list matches nothing', { timeWindows: [] }, '2024-01-01T12:00:00Z', false],
  ]
  test.each(table)('%s', (_name, policy, time, inside) => {
    const decision = evaluate(policy, nativeTransfer(alice, 1n), undefined, { now: new Date(time) })
    expect(codes(decision)).toEqual(inside ? [] : ['OUTSIDE_TIME_WINDOW'])
  })
})

describe('per-transaction limits', () => {
  const native = { limits: { perTransaction: [{ asset: 'anvil:native', max: '1000' }] } }
  const tokens = { limits: { perTransaction: [{ asset: tokenAsset, max: '500' }] } }
  const table: Array<[string, object, EffectiveIntent, string[]]> = [
    ['equal to the limit passes', native, nativeTransfer(alice, 1000n), []],
    ['one unit above fails', native, nativeTransfer(alice, 1001n), ['LIMIT_PER_TX_EXCEEDED']],
    ['other assets are not limited', native, tokenTransfer(alice, 10n ** 24n), []],
    ['token limit applies to the decoded token amount', tokens, tokenTransfer(alice, 500n), []],
    ['token limit: one unit above fails', tokens, tokenTransfer(alice, 501n), ['LIMIT_PER_TX_EXCEEDED']],
    [
      'token limit with the asset key in mixed case',
      {
        limits: {
          perTransaction: [{ asset: `anvil:${token.toUpperCase().replace('0X', '0x')}`, max: '500' }],
        },
      },
      tokenTransfer(alice, 501n),
      ['LIMIT_PER_TX_EXCEEDED'],
    ],
    [
      'approve counts as spending the allowance',
      tokens,
      approveCall(router, 501n),
      ['LIMIT_PER_TX_EXCEEDED'],
    ],
    [
      'native value sent with a call is limited',
      native,
      contractCall(router, swapData, 1001n),
      ['LIMIT_PER_TX_EXCEEDED'],
    ],
    [
      'onlyListedAssets denies an unlisted asset',
      { limits: { ...native.limits, onlyListedAssets: true } },
      tokenTransfer(alice, 1n),
      ['ASSET_NOT_LISTED'],
    ],
    [
      'onlyListedAssets allows a listed one',
      { limits: { ...native.limits, onlyListedAssets: true } },
      nativeTransfer(alice, 1n),
      [],
    ],
    [
      'onlyListedAssets denies a call whose effect cannot be valued',
      { limits: { ...native.limits, onlyListedAssets: true } },
      contractCall(router, swapData),
      ['UNVALUED_CALL'],
    ],
    [
      'onlyListedAssets allows it when the owner lists the function',
      {
        limits: { ...native.limits, onlyListedAssets: true },
        contracts: { allowUnvalued: ['swapExactTokensForTokens(uint256,uint256,address[],address,uint256)'] },
      },
      contractCall(router, swapData),
      [],
    ],
  ]
  test.each(table)('%s', (_name, policy, intent, expected) => {
    expect(codes(evaluate(policy, intent))).toEqual(expected)
  })

  test('the reason carries the limit and the observed amount', () => {
    const [reason] = evaluate(native, nativeTransfer(alice, 1001n)).reasons
    expect(reason).toMatchObject({
      rule: '$.limits.perTransaction[0]',
      limit: '1000',
      observed: '1001',
      unit: 'base_units',
      asset: 'anvil:native',
    })
  })

  test('an explicit id names the rule', () => {
    const policy = { limits: { perTransaction: [{ id: 'eth-cap', asset: 'anvil:native', max: '1' }] } }
    expect(evaluate(policy, nativeTransfer(alice, 2n)).reasons[0]?.rule).toBe('eth-cap')
  })
})

describe('rolling-window limits', () => {
  const policy = compile({
    limits: {
      windows: [
        { window: '1h', asset: 'anvil:native', max: '100' },
        { window: '24h', asset: 'anvil:native', max: '1000' },
        { window: '7d', asset: tokenAsset, max: '5000' },
      ],
    },
  })
  const spent = (entries: Record<string, bigint>) => usageWith({ spend: new Map(Object.entries(entries)) })
  const table: Array<[string, EffectiveIntent, Record<string, bigint>, string[]]> = [
    ['nothing spent yet, equal to the hourly limit', nativeTransfer(alice, 100n), {}, []],
    [
      'spent + amount equal to the limit passes',
      nativeTransfer(alice, 40n),
      { 'anvil:native|3600': 60n },
      [],
    ],
    [
      'one unit above fails',
      nativeTransfer(alice, 41n),
      { 'anvil:native|3600': 60n },
      ['LIMIT_WINDOW_EXCEEDED'],
    ],
    [
      'the daily window binds separately',
      nativeTransfer(alice, 1n),
      { 'anvil:native|86400': 1000n },
      ['LIMIT_WINDOW_EXCEEDED'],
    ],
    [
      'both windows fail: both are reported',
      nativeTransfer(alice, 101n),
      { 'anvil:native|86400': 900n },
      ['LIMIT_WINDOW_EXCEEDED', 'LIMIT_WINDOW_EXCEEDED'],
    ],
    [
      'token window uses the token amount',
      tokenTransfer(alice, 1n),
      { [`${tokenAsset}|604800`]: 5000n },
      ['LIMIT_WINDOW_EXCEEDED'],
    ],
    ['token window: exactly at the limit', tokenTransfer(alice, 1n), { [`${tokenAsset}|604800`]: 4999n }, []],
    [
      'native spend does not count against the token window',
      nativeTransfer(alice, 1n),
      { [`${tokenAsset}|604800`]: 5000n },
      [],
    ],
  ]
  test.each(table)('%s', (_name, intent, entries, expected) => {
    expect(codes(evaluate(policy, intent, spent(entries)))).toEqual(expected)
  })

  test('the reason reports spend including this intent', () => {
    const [reason] = evaluate(policy, nativeTransfer(alice, 41n), spent({ 'anvil:native|3600': 60n })).reasons
    expect(reason).toMatchObject({ rule: '$.limits.windows[0]', limit: '100', observed: '101' })
  })
})

describe('USD limits (static price table)', () => {
  const prices = (asset: string) =>
    ({
      'anvil:native': { usdMicrosPerUnit: 2_000_000_000n, decimals: 18 }, // $2,000 per ETH
      [tokenAsset]: { usdMicrosPerUnit: 1_000_000n, decimals: 6 }, // $1 per USDC
    })[asset]
  const eth = 10n ** 18n
  const policy = compile({
    limits: {
      perTransaction: [{ maxUsd: '1000' }],
      windows: [{ window: '24h', maxUsd: '1500' }],
    },
  })
  const table: Array<[string, EffectiveIntent, bigint, string[]]> = [
    ['0.5 ETH = $1,000: equal to the per-tx limit', nativeTransfer(alice, eth / 2n), 0n, []],
    [
      '0.5 ETH + 1 wei: above the per-tx limit (rounded up)',
      nativeTransfer(alice, eth / 2n + 1n),
      0n,
      ['LIMIT_PER_TX_USD_EXCEEDED'],
    ],
    ['$1,000 USDC: equal to the per-tx limit', tokenTransfer(alice, 1_000_000_000n), 0n, []],
    ['$1,000.000001 USDC: above', tokenTransfer(alice, 1_000_000_001n), 0n, ['LIMIT_PER_TX_USD_EXCEEDED']],
    [
      'USD window spans assets: $500 spent (any asset) + $1,000 ETH',
      nativeTransfer(alice, eth / 2n),
      500_000_000n,
      [],
    ],
    [
      'USD window: one micro-dollar over',
      tokenTransfer(alice, 1_000_000_000n),
      500_000_001n,
      ['LIMIT_WINDOW_USD_EXCEEDED'],
    ],
  ]
  test.each(table)('%s', (_name, intent, spentUsd, expected) => {
    const usage = usageWith({ usdMicros: new Map([[86_400, spentUsd]]) })
    expect(codes(evaluate(policy, intent, usage, { prices }))).toEqual(expected)
  })

  test('value sent with a token transfer is added to its USD value', () => {
    const intent = { ...withValue(tokenTransfer(alice, 600_000_000n), eth / 4n), type: 'call' as const } // $600 + $500
    const decision = evaluate(policy, intent, undefined, { prices })
    expect(codes(decision)).toEqual(['LIMIT_PER_TX_USD_EXCEEDED'])
    expect(decision.reasons[0]?.observed).toBe('1100000000')
  })

  test('reservations carry the USD value of each asset moved', () => {
    const intent = { ...withValue(tokenTransfer(alice, 100_000_000n), eth / 10n), type: 'call' as const }
    expect(evaluate(policy, intent, undefined, { prices }).reservations).toEqual([
      { asset: tokenAsset, amount: '100000000', kind: 'spend', usdMicros: '100000000' },
      { asset: 'anvil:native', amount: (eth / 10n).toString(), kind: 'spend', usdMicros: '200000000' },
    ])
  })

  test('no price: USD limits fail closed', () => {
    const unknownToken = '0x0000000000000000000000000000000000000abc'
    const decision = evaluate(policy, tokenTransfer(alice, 1n, unknownToken), undefined, { prices })
    expect(codes(decision)).toEqual(['PRICE_UNAVAILABLE', 'PRICE_UNAVAILABLE'])
    expect(codes(evaluate(policy, nativeTransfer(alice, 1n)))).toEqual([
      'PRICE_UNAVAILABLE',
      'PRICE_UNAVAILABLE',
    ])
  })

  test('a price source that throws counts as no price', () => {
    const throwing = () => {
      throw new Error('feed down')
    }
    expect(codes(evaluate(policy, nativeTransfer(alice, 1n), undefined, { prices: throwing }))).toContain(
      'PRICE_UNAVAILABLE',
    )
  })

  test('moving nothing needs no price', () => {
    expect(codes(evaluate(policy, contractCall(router, swapData)))).toEqual([])
  })
})

describe('rate limits', () => {
  const policy = compile({
    rateLimits: [
      { window: '1m', max: 3 },
      { window: '1h', max: 10 },
    ],
  })
  const table: Array<[string, Array<[number, number]>, string[]]> = [
    ['no history', [], []],
    ['2 already in the minute: the 3rd is allowed', [[60, 2]], []],
    ['3 already in the minute: the 4th is limited', [[60, 3]], ['RATE_LIMITED']],
    ['9 in the hour: the 10th is allowed', [[3600, 9]], []],
    ['10 in the hour: the 11th is limited', [[3600, 10]], ['RATE_LIMITED']],
    [
      'both windows full: both reported',
      [
        [60, 3],
        [3600, 10],
      ],
      ['RATE_LIMITED', 'RATE_LIMITED'],
    ],
  ]
  test.each(table)('%s', (_name, counts, expected) => {
    expect(
      codes(evaluate(policy, nativeTransfer(alice, 1n), usageWith({ counts: new Map(counts) }))),
    ).toEqual(expected)
  })

  test('max 0 denies everything', () => {
    expect(codes(evaluate({ rateLimits: [{ window: '1h', max: 0 }] }, nativeTransfer(alice, 1n)))).toEqual([
      'RATE_LIMITED',
    ])
  })
})

describe('approval thresholds', () => {
  const prices = (asset: string) =>
    ({
      'anvil:native': { usdMicrosPerUnit: 2_000_000_000n, decimals: 18 },
      [tokenAsset]: { usdMicrosPerUnit: 1_000_000n, decimals: 6 },
    })[asset]
  const policy = compile({
    approvals: {
      approvers: ['role:owner', 'user:alice', 'user:bob'],
      quorum: 1,
      rules: [
        { id: 'big-usdc', asset: tokenAsset, above: '1000' },
        { id: 'big-usd', aboveUsd: '100', quorum: 2 },
        { id: 'new-payee', newRecipient: true, approvers: ['role:owner'] },
        { id: 'approvals', selectors: ['approve(address,uint256)'] },
      ],
    },
  })
  const known = usageWith({ knownRecipients: new Set([alice, router]) })
  const table: Array<[string, EffectiveIntent, boolean, string, string[]]> = [
    ['amount equal to the threshold: allowed', tokenTransfer(alice, 1000n), true, 'allow', []],
    [
      'one unit above: approval',
      tokenTransfer(alice, 1001n),
      true,
      'require_approval',
      ['APPROVAL_AMOUNT_ABOVE'],
    ],
    [
      'new recipient: approval',
      tokenTransfer(alice, 1n),
      false,
      'require_approval',
      ['APPROVAL_NEW_RECIPIENT'],
    ],
    ['selector: approval', approveCall(router, 1n), true, 'require_approval', ['APPROVAL_SELECTOR']],
    ['$100 exactly: allowed', nativeTransfer(alice, 5n * 10n ** 16n), true, 'allow', []],
    [
      '$100 and 1 wei: approval',
      nativeTransfer(alice, 5n * 10n ** 16n + 1n),
      true,
      'require_approval',
      ['APPROVAL_USD_ABOVE'],
    ],
  ]
  test.each(table)('%s', (_name, intent, recipientKnown, outcome, triggers) => {
    const usage = recipientKnown ? known : usageWith({})
    const decision = evaluate(policy, intent, usage, { prices })
    expect(decision.outcome).toBe(outcome)
    expect(decision.approval?.triggers.map((trigger) => trigger.code) ?? []).toEqual(triggers)
  })

  test('the quorum that applies is the strictest triggered one, and every requirement is listed', () => {
    const decision = evaluate(policy, nativeTransfer(alice, 10n ** 18n), usageWith({}), { prices })
    expect(decision.approval).toMatchObject({
      quorum: 2,
      approvers: ['role:owner', 'user:alice', 'user:bob'],
      requirements: [
        { rule: 'big-usd', approvers: ['role:owner', 'user:alice', 'user:bob'], quorum: 2 },
        { rule: 'new-payee', approvers: ['role:owner'], quorum: 1 },
      ],
    })
    expect(decision.reservations).toEqual([
      { asset: 'anvil:native', amount: (10n ** 18n).toString(), kind: 'spend', usdMicros: '2000000000' },
    ])
  })

  test('conditions of one rule must ALL hold', () => {
    const both = compile({
      approvals: {
        approvers: ['role:owner'],
        rules: [{ newRecipient: true, asset: tokenAsset, above: '100' }],
      },
    })
    expect(evaluate(both, tokenTransfer(alice, 100n)).outcome).toBe('allow')
    expect(evaluate(both, tokenTransfer(alice, 101n), known).outcome).toBe('allow')
    expect(evaluate(both, tokenTransfer(alice, 101n)).outcome).toBe('require_approval')
  })

  test('no price for a USD threshold: ask a human', () => {
    const decision = evaluate(policy, nativeTransfer(alice, 1n), known)
    expect(decision.outcome).toBe('require_approval')
    expect(decision.approval?.triggers.map((trigger) => trigger.code)).toEqual(['PRICE_UNAVAILABLE'])
  })

  test('a deny beats an approval', () => {
    const denying = compile({ ...policy.document, chains: { allow: ['base'] } })
    const decision = evaluate(denying, tokenTransfer(alice, 5000n), known)
    expect(decision.outcome).toBe('deny')
    expect(decision.approval).toBeUndefined()
    expect(decision.explanation).toContainEqual({
      rule: 'big-usdc',
      kind: 'approval',
      result: 'approval',
      detail: '1 of role:owner, user:alice, user:bob',
    })
  })
})

describe('several failures', () => {
  test('every failing rule is reported, in evaluation order', () => {
    const policy = {
      chains: { allow: ['base'] },
      recipients: { allow: [alice], deny: [carol] },
      contracts: { allow: [router] },
      timeWindows: [{ start: '00:00', end: '01:00' }],
      limits: {
        perTransaction: [{ asset: tokenAsset, max: '10' }],
        windows: [{ window: '1d', asset: tokenAsset, max: '10' }],
      },
      rateLimits: [{ window: '1h', max: 0 }],
      cedar: [
        {
          id: 'no-tokens',
          policy: 'forbid (principal, action, resource) when { context.tokenFunction != "" };',
        },
      ],
    }
    const decision = evaluate(policy, tokenTransfer(carol, 11n))
    expect(decision.outcome).toBe('deny')
    expect(codes(decision)).toEqual([
      'CHAIN_NOT_ALLOWED',
      'RECIPIENT_DENYLISTED',
      'CONTRACT_NOT_ALLOWED',
      'OUTSIDE_TIME_WINDOW',
      'LIMIT_PER_TX_EXCEEDED',
      'LIMIT_WINDOW_EXCEEDED',
      'RATE_LIMITED',
      'CEDAR_FORBID',
    ])
    expect(decision.reservations).toEqual([])
  })
})

describe('intent consistency', () => {
  test('a transfer whose labels differ from its effects is denied', () => {
    const intent = tokenTransfer(alice, 5n)
    const submitted = intent.submitted
    expect(codes(evaluate({}, { ...intent, submitted: { ...submitted, amount: 1n } }))).toEqual([
      'INTENT_INCONSISTENT',
    ])
    expect(codes(evaluate({}, { ...intent, submitted: { ...submitted, recipient: carol } }))).toEqual([
      'INTENT_INCONSISTENT',
    ])
    expect(codes(evaluate({}, { ...intent, submitted: { ...submitted, asset: 'anvil:native' } }))).toEqual([
      'INTENT_INCONSISTENT',
    ])
  })

  test('a token transfer that moves no tokens is denied', () => {
    expect(codes(evaluate({}, { ...tokenTransfer(alice, 5n), effects: [] }))).toEqual(['INTENT_INCONSISTENT'])
  })

  test('a transfer that pays a second party is denied', () => {
    const intent = tokenTransfer(alice, 5n)
    const extra = { kind: 'transfer' as const, asset: 'anvil:native', amount: 1n, to: token }
    expect(codes(evaluate({}, { ...intent, effects: [...intent.effects, extra] }))).toEqual([
      'INTENT_INCONSISTENT',
    ])
  })

  test('for a call the effects win: limits apply to the token moved, whatever the labels say', () => {
    const intent = {
      ...tokenTransfer(alice, 501n),
      type: 'call' as const,
      submitted: { asset: 'anvil:native', amount: 0n, recipient: token },
    }
    const decision = evaluate({ limits: { perTransaction: [{ asset: tokenAsset, max: '500' }] } }, intent)
    expect(codes(decision)).toEqual(['LIMIT_PER_TX_EXCEEDED'])
    expect(decision.effective).toEqual({
      asset: tokenAsset,
      amount: '501',
      recipient: alice,
      recipients: [alice],
      effects: [{ kind: 'transfer', asset: tokenAsset, amount: '501', to: alice, via: 'transfer' }],
      selector: '0xa9059cbb',
    })
  })
})

describe('explanation', () => {
  test('lists every rule considered with its result', () => {
    const decision = evaluate(
      {
        chains: { allow: ['anvil'] },
        recipients: { allow: [alice] },
        timeWindows: [{ id: 'daytime', start: '08:00', end: '20:00' }],
        limits: { perTransaction: [{ asset: 'anvil:native', max: '10' }] },
        rateLimits: [{ id: 'hourly', window: '1h', max: 5 }],
      },
      nativeTransfer(alice, 10n),
      undefined,
      { now: mondayNoon },
    )
    expect(decision.outcome).toBe('allow')
    expect(decision.explanation.map(({ rule, result }) => `${rule}:${result}`)).toEqual([
      'agent.status:pass',
      'breaker:pass',
      'intent:pass',
      '$.chains.allow:pass',
      '$.recipients.allow:pass',
      '$.timeWindows:pass',
      '$.limits.perTransaction[0]:pass',
      'hourly:pass',
    ])
  })
})
