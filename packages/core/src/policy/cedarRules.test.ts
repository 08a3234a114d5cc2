import { describe, expect, test } from 'vitest'
import {
  alice,
  carol,
  codes,
  compile,
  evaluate,
  nativeTransfer,
  tokenAsset,
  tokenTransfer,
  usageWith,
} from '../../test/policyFixtures.ts'

const forbidBigToCarol = `forbid (principal, action, resource)
when { context.recipient == "${carol}" && context.amountLong > 100 };`

describe('Cedar custom rules', () => {
  test('a forbid rule blocks an otherwise allowed intent', () => {
    const policy = compile({
      limits: { perTransaction: [{ asset: 'anvil:native', max: '1000' }] },
      cedar: [{ id: 'carol-cap', policy: forbidBigToCarol }],
    })
    expect(evaluate(policy, nativeTransfer(carol, 100n)).outcome).toBe('allow')
    const decision = evaluate(policy, nativeTransfer(carol, 101n))
    expect(decision.outcome).toBe('deny')
    expect(decision.reasons).toEqual([
      { code: 'CEDAR_FORBID', rule: 'carol-cap', message: 'Cedar rule "carol-cap" forbids this intent' },
    ])
  })

  test('forbid-only sets get an implicit permit-all: other intents pass', () => {
    expect(
      evaluate({ cedar: [{ id: 'carol-cap', policy: forbidBigToCarol }] }, nativeTransfer(alice, 10n ** 20n))
        .outcome,
    ).toBe('allow')
  })

  test('with permit rules, an intent no permit matches is denied', () => {
    const policy = compile({
      cedar: [
        {
          id: 'only-alice',
          policy: `permit (principal, action, resource) when { context.recipient == "${alice}" };`,
        },
      ],
    })
    expect(evaluate(policy, nativeTransfer(alice, 1n)).outcome).toBe('allow')
    expect(codes(evaluate(policy, nativeTransfer(carol, 1n)))).toEqual(['CEDAR_NOT_PERMITTED'])
  })

  test('principal, resource and usage are available', () => {
    const policy = compile({
      rateLimits: [{ window: '1h', max: 100 }],
      cedar: [
        {
          id: 'agent-7-busy',
          policy:
            'forbid (principal == Agent::"agent-1", action == Action::"submit", resource == Intent::"anvil") when { context.usage.counts["3600"] >= 10 };',
        },
      ],
    })
    expect(
      evaluate(policy, nativeTransfer(alice, 1n), usageWith({ counts: new Map([[3600, 9]]) })).outcome,
    ).toBe('allow')
    expect(
      codes(evaluate(policy, nativeTransfer(alice, 1n), usageWith({ counts: new Map([[3600, 10]]) }))),
    ).toEqual(['CEDAR_FORBID'])
  })

  test('token transfers are seen decoded: asset, amount, recipient, function', () => {
    const policy = compile({
      cedar: [
        {
          id: 'usdc-to-carol',
          policy: `forbid (principal, action, resource) when { context.asset == "${tokenAsset}" && context.recipient == "${carol}" && context.tokenFunction == "transfer" && context.amount == "7" };`,
        },
      ],
    })
    expect(codes(evaluate(policy, tokenTransfer(carol, 7n)))).toEqual(['CEDAR_FORBID'])
    expect(codes(evaluate(policy, tokenTransfer(carol, 8n)))).toEqual([])
  })

  test('new recipients: usage.recipientKnown is requested and visible', () => {
    const policy = compile({
      cedar: [
        {
          id: 'no-strangers',
          policy: 'forbid (principal, action, resource) when { !context.usage.recipientKnown };',
        },
      ],
    })
    expect(policy.needsRecipientHistory).toBe(true)
    expect(codes(evaluate(policy, nativeTransfer(alice, 1n)))).toEqual(['CEDAR_FORBID'])
    expect(
      codes(evaluate(policy, nativeTransfer(alice, 1n), usageWith({ knownRecipients: new Set([alice]) }))),
    ).toEqual([])
  })

  test('a forbid rule that errors fails closed (amount too large for an exact Long)', () => {
    const policy = compile({
      cedar: [{ id: 'cap', policy: 'forbid (principal, action, resource) when { context.amountLong > 5 };' }],
    })
    const decision = evaluate(policy, nativeTransfer(alice, 2n ** 60n))
    expect(codes(decision)).toEqual(['CEDAR_ERROR'])
    expect(decision.reasons[0]?.rule).toBe('cap')
  })

  test('the time is available in UTC', () => {
    const policy = compile({
      cedar: [
        {
          id: 'no-weekends',
          policy:
            'forbid (principal, action, resource) when { ["sat", "sun"].contains(context.time.weekday) };',
        },
      ],
    })
    expect(
      evaluate(policy, nativeTransfer(alice, 1n), undefined, { now: new Date('2024-01-06T10:00:00Z') })
        .outcome,
    ).toBe('deny')
    expect(
      evaluate(policy, nativeTransfer(alice, 1n), undefined, { now: new Date('2024-01-05T10:00:00Z') })
        .outcome,
    ).toBe('allow')
  })

  test('the same policy compiled twice evaluates the same (shared parsed set)', () => {
    const document = { cedar: [{ id: 'carol-cap', policy: forbidBigToCarol }] }
    expect(codes(evaluate(compile(document), nativeTransfer(carol, 101n)))).toEqual(['CEDAR_FORBID'])
    expect(codes(evaluate(compile(document), nativeTransfer(carol, 101n)))).toEqual(['CEDAR_FORBID'])
  })
})

describe('Cedar context', () => {
  test('only the fields the rules mention are built (the context dominates the cost)', () => {
    const policy = compile({
      cedar: [
        {
          id: 'r',
          policy:
            'forbid (principal, action, resource) when { context.usage.counts["60"] > 1 && context.to == "x" };',
        },
      ],
    })
    expect([...(policy.cedar?.fields ?? [])].sort()).toEqual(['counts', 'to', 'usage'])
  })
})
