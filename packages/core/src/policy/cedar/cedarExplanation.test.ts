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
} from '../../../test/policyFixtures.ts'
import type { EffectiveIntent } from '../../chains/EffectiveIntent.ts'
import type { Decision } from '../Decision.ts'

/** A token transfer to `to` that also sends native value to `paid` (two movements). */
function tokenAndNative(to: string, amount: bigint, paid: string, value: bigint): EffectiveIntent {
  const intent = tokenTransfer(to, amount)
  return {
    ...intent,
    type: 'call',
    value,
    effects: [...intent.effects, { kind: 'transfer', asset: 'anvil:native', amount: value, to: paid }],
  }
}

const permit = (id: string, condition: string) => ({
  id,
  policy: `permit (principal, action, resource) when { ${condition} };`,
})
const cedarEntries = (decision: Decision) =>
  decision.explanation.filter((entry) => entry.kind.startsWith('cedar'))

describe('the Cedar explanation agrees with the decision', () => {
  test('error: a permit that matched one movement of two is no pass; a fail entry names the unpermitted movement', () => {
    const policy = compile({ cedar: [permit('to-alice', `context.recipient == "${alice}"`)] })
    const decision = evaluate(policy, tokenAndNative(alice, 7n, carol, 9n))
    expect(decision.outcome).toBe('deny')
    expect(codes(decision)).toEqual(['CEDAR_NOT_PERMITTED'])
    expect(decision.reasons[0]?.message).toContain(`9 anvil:native to ${carol}`)
    expect(cedarEntries(decision)).toEqual([
      { rule: 'to-alice', kind: 'cedar.permit', result: 'skip', detail: 'matched 1 of 2 movements of value' },
      {
        rule: '$.cedar',
        kind: 'cedar.permit',
        result: 'fail',
        detail: `no permit rule matched the movement of 9 anvil:native to ${carol}`,
      },
    ])
  })

  test('error: identical unpermitted movements are named once, with their count', () => {
    const policy = compile({ cedar: [permit('native-only', 'context.asset == "anvil:native"')] })
    const intent = tokenTransfer(carol, 3n)
    const twice: EffectiveIntent = { ...intent, effects: [...intent.effects, ...intent.effects] }
    const entries = cedarEntries(evaluate(policy, twice)).filter((entry) => entry.result === 'fail')
    expect(entries).toEqual([
      {
        rule: '$.cedar',
        kind: 'cedar.permit',
        result: 'fail',
        detail: `no permit rule matched the movement of 3 ${tokenAsset} to ${carol} (2 such movements)`,
      },
    ])
  })

  test('when every movement is permitted, by different permits, each passes for the movements it matched', () => {
    const policy = compile({
      cedar: [
        permit('to-alice', `context.recipient == "${alice}"`),
        permit('native', 'context.asset == "anvil:native"'),
      ],
    })
    const decision = evaluate(policy, tokenAndNative(alice, 7n, carol, 9n))
    expect(decision.outcome).toBe('allow')
    expect(cedarEntries(decision)).toEqual([
      { rule: 'to-alice', kind: 'cedar.permit', result: 'pass', detail: 'matched 1 of 2 movements of value' },
      { rule: 'native', kind: 'cedar.permit', result: 'pass', detail: 'matched 1 of 2 movements of value' },
    ])
  })

  test('a permit that matched every movement passes plainly; one that matched none is skipped', () => {
    const policy = compile({
      cedar: [permit('any', 'context.amount != "0"'), permit('never', 'context.amount == "0"')],
    })
    const decision = evaluate(policy, tokenAndNative(alice, 7n, carol, 9n))
    expect(decision.outcome).toBe('allow')
    expect(cedarEntries(decision)).toEqual([
      { rule: 'any', kind: 'cedar.permit', result: 'pass' },
      { rule: 'never', kind: 'cedar.permit', result: 'skip' },
    ])
  })

  test('error: a forbid names the movement it matched', () => {
    const policy = compile({
      cedar: [
        {
          id: 'no-carol',
          policy: `forbid (principal, action, resource) when { context.recipient == "${carol}" };`,
        },
      ],
    })
    const decision = evaluate(policy, tokenAndNative(alice, 7n, carol, 9n))
    expect(codes(decision)).toEqual(['CEDAR_FORBID'])
    expect(cedarEntries(decision)).toEqual([
      {
        rule: 'no-carol',
        kind: 'cedar.forbid',
        result: 'fail',
        detail: `matched the movement of 9 anvil:native to ${carol}`,
      },
    ])
    expect(cedarEntries(evaluate(policy, nativeTransfer(alice, 1n)))).toEqual([
      { rule: 'no-carol', kind: 'cedar.forbid', result: 'pass' },
    ])
  })
})
