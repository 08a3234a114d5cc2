import { describe, expect, test } from 'vitest'
import { alice, bob, router, token, tokenAsset } from '../../test/policyFixtures.ts'
import { policyTemplates } from './policyTemplates.ts'
import { validatePolicy } from './validatePolicy.ts'

function issues(input: unknown) {
  const result = validatePolicy(input)
  if (result.ok) throw new Error('expected the policy to be invalid')
  return result.issues
}

function warnings(input: unknown) {
  const result = validatePolicy(input)
  if (!result.ok) throw new Error(`expected a valid policy: ${JSON.stringify(result.issues)}`)
  return result.warnings.map(({ path, code }) => `${code} ${path}`)
}

describe('valid documents', () => {
  test('an empty document is a valid policy that allows everything', () => {
    expect(validatePolicy({})).toMatchObject({ ok: true, warnings: [] })
  })

  test.each(Object.entries(policyTemplates))(
    'template %s is valid and has no warnings',
    (_name, template) => {
      expect(warnings(template)).toEqual([])
    },
  )

  test('compiles lookup structures: lowercased sets, bigints, window seconds', () => {
    const result = validatePolicy({
      recipients: { allow: [bob] },
      limits: {
        windows: [{ window: '7d', asset: `anvil:${token.toUpperCase().replace('0X', '0x')}`, max: '5' }],
      },
    })
    if (!result.ok) throw new Error('invalid')
    expect(result.policy.recipientAllow?.values.has(bob.toLowerCase())).toBe(true)
    expect(result.policy.windows[0]).toMatchObject({
      asset: tokenAsset,
      max: 5n,
      seconds: 604_800,
      spendKey: `${tokenAsset}|604800`,
    })
  })
})

describe('approval settings', () => {
  test('role, expiry and timelock compile per rule, each falling back to the section, then to the default', () => {
    const result = validatePolicy({
      approvals: {
        approvers: ['acc_alice', 'acc_bob', 'role:admin'],
        quorum: 2,
        role: 'admin',
        expiresAfter: '2h',
        rules: [
          { id: 'defaults', newRecipient: true },
          { id: 'own', aboveUsd: '5', role: 'approver', expiresAfter: '7d', timelock: '1h30m', quorum: 5 },
        ],
      },
    })
    if (!result.ok) throw new Error(JSON.stringify(result.issues))
    expect(result.warnings).toEqual([])
    expect(result.policy.approvals).toMatchObject([
      { rule: 'defaults', quorum: 2, role: 'admin', expiresAfterSeconds: 7200, timelockSeconds: 0 },
      // A quorum of 5 out of three entries is valid: "role:admin" stands for every admin of the organisation.
      { rule: 'own', quorum: 5, role: 'approver', expiresAfterSeconds: 604_800, timelockSeconds: 5400 },
    ])
  })

  test('a document written before accounts existed stays valid, with its old names warned about', () => {
    const result = validatePolicy({
      approvals: { approvers: ['role:owner'], rules: [{ newRecipient: true }] },
    })
    if (!result.ok) throw new Error(JSON.stringify(result.issues))
    expect(result.policy.approvals).toMatchObject([
      { approvers: ['role:owner'], role: 'approver', expiresAfterSeconds: undefined, timelockSeconds: 0 },
    ])
    expect(result.warnings.map(({ code, path }) => `${code} ${path}`)).toEqual([
      'APPROVER_UNKNOWN $.approvals.approvers[0]',
    ])
  })
})

describe('invalid documents give JSON paths', () => {
  const table: Array<[string, unknown, string]> = [
    ['not an object', 42, '$'],
    ['unknown top-level field', { limit: {} }, '$.limit'],
    [
      'unknown nested field',
      { limits: { windows: [{ window: '1h', asset: 'anvil:native', max: '1', maximum: '2' }] } },
      '$.limits.windows[0].maximum',
    ],
    [
      'negative amount',
      {
        limits: {
          windows: [
            { window: '1h', asset: 'anvil:native', max: '1' },
            { window: '1d', asset: 'anvil:native', max: '-5' },
          ],
        },
      },
      '$.limits.windows[1].max',
    ],
    [
      'fractional amount',
      { limits: { perTransaction: [{ asset: 'anvil:native', max: '1.5' }] } },
      '$.limits.perTransaction[0].max',
    ],
    [
      'number instead of a decimal string',
      { limits: { perTransaction: [{ asset: 'anvil:native', max: 1000 }] } },
      '$.limits.perTransaction[0].max',
    ],
    [
      'amount above 2^256-1',
      { limits: { perTransaction: [{ asset: 'anvil:native', max: (2n ** 256n).toString() }] } },
      '$.limits.perTransaction[0].max',
    ],
    ['bad duration', { rateLimits: [{ window: '1 hour', max: 3 }] }, '$.rateLimits[0].window'],
    ['zero duration', { rateLimits: [{ window: '0h', max: 3 }] }, '$.rateLimits[0].window'],
    ['duration above a year', { rateLimits: [{ window: '400d', max: 3 }] }, '$.rateLimits[0].window'],
    ['bad address', { recipients: { deny: [alice, '0x1234'] } }, '$.recipients.deny[1]'],
    [
      'bad asset key',
      { limits: { perTransaction: [{ asset: 'ETH', max: '1' }] } },
      '$.limits.perTransaction[0].asset',
    ],
    ['bad selector', { contracts: { selectors: { deny: ['transfer'] } } }, '$.contracts.selectors.deny[0]'],
    ['bad time', { timeWindows: [{ start: '25:00', end: '06:00' }] }, '$.timeWindows[0].start'],
    ['start at 24:00', { timeWindows: [{ start: '24:00', end: '06:00' }] }, '$.timeWindows[0].start'],
    [
      'bad weekday',
      { timeWindows: [{ days: ['monday'], start: '01:00', end: '06:00' }] },
      '$.timeWindows[0].days[0]',
    ],
    [
      'USD with more than 6 decimals',
      { limits: { perTransaction: [{ maxUsd: '1.0000001' }] } },
      '$.limits.perTransaction[0].maxUsd',
    ],
    ['max without asset', { limits: { perTransaction: [{ max: '5' }] } }, '$.limits.perTransaction[0].asset'],
    [
      'asset without max',
      { limits: { windows: [{ window: '1h', asset: 'anvil:native' }] } },
      '$.limits.windows[0].max',
    ],
    [
      'USD limit bound to an asset',
      { limits: { windows: [{ window: '1h', asset: 'anvil:native', maxUsd: '5' }] } },
      '$.limits.windows[0].asset',
    ],
    ['limit without max', { limits: { windows: [{ window: '1h' }] } }, '$.limits.windows[0]'],
    [
      'approval rule without a condition',
      { approvals: { approvers: ['role:owner'], rules: [{ id: 'x' }] } },
      '$.approvals.rules[0]',
    ],
    [
      'approval rule without approvers',
      { approvals: { rules: [{ newRecipient: true }] } },
      '$.approvals.rules[0].approvers',
    ],
    [
      'quorum above the approvers',
      { approvals: { approvers: ['a', 'b'], rules: [{ newRecipient: true, quorum: 3 }] } },
      '$.approvals.rules[0].quorum',
    ],
    [
      'default quorum above the approvers',
      { approvals: { approvers: ['a'], quorum: 2, rules: [{ newRecipient: true }] } },
      '$.approvals.quorum',
    ],
    [
      'repeated approver',
      { approvals: { approvers: ['a', 'a'], rules: [{ newRecipient: true }] } },
      '$.approvals.rules[0].approvers',
    ],
    [
      'quorum above the named approvers, a role of nobody counted among them',
      {
        approvals: {
          approvers: ['acc_a', 'acc_b', 'role:owner'],
          quorum: 4,
          rules: [{ newRecipient: true }],
        },
      },
      '$.approvals.quorum',
    ],
    [
      'approval expiry beyond a week',
      { approvals: { approvers: ['role:approver'], expiresAfter: '8d', rules: [{ newRecipient: true }] } },
      '$.approvals.expiresAfter',
    ],
    [
      "a rule's approval expiry beyond a week",
      { approvals: { approvers: ['role:approver'], rules: [{ newRecipient: true, expiresAfter: '169h' }] } },
      '$.approvals.rules[0].expiresAfter',
    ],
    [
      'a role no approver holds',
      { approvals: { approvers: ['role:approver'], role: 'viewer', rules: [{ newRecipient: true }] } },
      '$.approvals.role',
    ],
    [
      'a timelock that is not a duration',
      { approvals: { approvers: ['role:approver'], rules: [{ newRecipient: true, timelock: '1 hour' }] } },
      '$.approvals.rules[0].timelock',
    ],
    [
      'above without asset',
      { approvals: { approvers: ['a'], rules: [{ above: '5' }] } },
      '$.approvals.rules[0].asset',
    ],
    [
      'duplicate ids',
      {
        rateLimits: [{ id: 'x', window: '1h', max: 1 }],
        approvals: { approvers: ['a'], rules: [{ id: 'x', newRecipient: true }] },
      },
      '$.approvals.rules[0].id',
    ],
    [
      'reserved Cedar id',
      { cedar: [{ id: 'bursar-implicit-permit', policy: 'permit (principal, action, resource);' }] },
      '$.cedar[0].id',
    ],
  ]
  test.each(table)('%s → %s', (_name, input, path) => {
    expect(issues(input).map((issue) => issue.path)).toContain(path)
  })

  test('the message says what is expected', () => {
    const [issue] = issues({ limits: { perTransaction: [{ asset: 'anvil:native', max: '1.5' }] } })
    expect(issue?.message).toMatch(/base units, as a decimal string/)
  })
})

describe('Cedar rules are parsed at validation time', () => {
  test('a syntax error is an issue at the path of the Cedar text, with line and column', () => {
    const result = issues({
      cedar: [
        { id: 'ok', policy: 'forbid (principal, action, resource) when { context.amountLong > 5 };' },
        { id: 'broken', policy: 'forbid (principal, action, resource)\nwhen { context.amountLong > };' },
      ],
    })
    expect(result).toHaveLength(1)
    expect(result[0]?.path).toBe('$.cedar[1].policy')
    expect(result[0]?.message).toMatch(/line 2/)
  })

  test('two policies in one entry are rejected', () => {
    const policy = 'forbid (principal, action, resource); permit (principal, action, resource);'
    expect(issues({ cedar: [{ id: 'two', policy }] }).map((issue) => issue.path)).toEqual([
      '$.cedar[0].policy',
    ])
  })

  test('templates with slots are rejected', () => {
    const policy = 'forbid (principal == ?principal, action, resource);'
    expect(issues({ cedar: [{ id: 'slot', policy }] }).map((issue) => issue.path)).toEqual([
      '$.cedar[0].policy',
    ])
  })

  test('a rule that errors on a sample intent (typo in a field) is a warning', () => {
    expect(
      warnings({
        cedar: [{ id: 'typo', policy: 'forbid (principal, action, resource) when { context.amout > 5 };' }],
      }),
    ).toEqual(['CEDAR_SAMPLE_ERROR $.cedar[0].policy'])
  })
})

describe('contradictions give warnings', () => {
  const table: Array<[string, unknown, string[]]> = [
    [
      'window limit below the per-transaction limit',
      {
        limits: {
          perTransaction: [{ asset: 'anvil:native', max: '100' }],
          windows: [{ window: '24h', asset: 'anvil:native', max: '50' }],
        },
      },
      ['WINDOW_LIMIT_BELOW_PER_TX $.limits.windows[0].max'],
    ],
    [
      'USD window limit below the USD per-transaction limit',
      { limits: { perTransaction: [{ maxUsd: '100' }], windows: [{ window: '24h', maxUsd: '50' }] } },
      ['WINDOW_LIMIT_BELOW_PER_TX $.limits.windows[0].maxUsd'],
    ],
    [
      'a shorter window with a higher limit never binds',
      {
        limits: {
          windows: [
            { window: '1h', asset: 'anvil:native', max: '100' },
            { window: '24h', asset: 'anvil:native', max: '80' },
          ],
        },
      },
      ['WINDOW_LIMIT_SHADOWED $.limits.windows[0]'],
    ],
    ['empty recipient allowlist', { recipients: { allow: [] } }, ['EMPTY_ALLOWLIST $.recipients.allow']],
    [
      'empty recipient allowlist while approvals expect new recipients',
      {
        recipients: { allow: [] },
        approvals: { approvers: ['role:approver'], rules: [{ newRecipient: true }] },
      },
      ['EMPTY_ALLOWLIST $.recipients.allow'],
    ],
    ['empty chain allowlist', { chains: { allow: [] } }, ['EMPTY_ALLOWLIST $.chains.allow']],
    ['empty list of time windows', { timeWindows: [] }, ['EMPTY_ALLOWLIST $.timeWindows']],
    [
      'time window with start == end',
      { timeWindows: [{ start: '09:00', end: '09' }] },
      ['TIME_WINDOW_EMPTY $.timeWindows[0]'],
    ],
    [
      'address both allowed and denied',
      { recipients: { allow: [alice], deny: [alice.toUpperCase().replace('0X', '0x')] } },
      ['ALLOW_AND_DENY $.recipients.allow[0]'],
    ],
    [
      'selector both allowed and blocked',
      { contracts: { selectors: { allow: ['0xa9059cbb'], deny: ['transfer(address,uint256)'] } } },
      ['ALLOW_AND_DENY $.contracts.selectors.allow'],
    ],
    [
      'duplicate address',
      { recipients: { deny: [alice, alice.toUpperCase().replace('0X', '0x')] } },
      ['DUPLICATE_ENTRY $.recipients.deny[1]'],
    ],
    [
      'rate limit of zero',
      { rateLimits: [{ window: '1h', max: 0 }] },
      ['RATE_LIMIT_ZERO $.rateLimits[0].max'],
    ],
    [
      'approval threshold the per-transaction limit makes unreachable',
      {
        limits: { perTransaction: [{ asset: tokenAsset, max: '100' }] },
        approvals: { approvers: ['acc_alice'], rules: [{ asset: tokenAsset, above: '100' }] },
      },
      ['APPROVAL_NEVER_TRIGGERS $.approvals.rules[0].above'],
    ],
    [
      'approvers that match nobody: a name Bursar does not know, an agent',
      {
        approvals: {
          approvers: ['acc_alice', 'role:owner'],
          rules: [{ newRecipient: true }, { aboveUsd: '5', approvers: ['agt_1', 'role:admin'] }],
        },
      },
      ['APPROVER_UNKNOWN $.approvals.approvers[1]', 'APPROVER_UNKNOWN $.approvals.rules[1].approvers[0]'],
    ],
    [
      'limit on a network the chain allowlist excludes',
      { chains: { allow: ['base'] }, limits: { perTransaction: [{ asset: 'anvil:native', max: '1' }] } },
      ['NETWORK_NOT_ALLOWED $.limits.perTransaction[0].asset'],
    ],
    [
      'token limits while the token cannot be called',
      { contracts: { allow: [router] }, limits: { perTransaction: [{ asset: tokenAsset, max: '1' }] } },
      ['TOKEN_CALLS_BLOCKED $.contracts.allow'],
    ],
  ]
  test.each(table)('%s', (_name, input, expected) => {
    expect(warnings(input)).toEqual(expected)
  })
})
