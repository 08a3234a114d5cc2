import { describe, expect, test } from 'vitest'
import { alice, bob, carol } from '../../test/policyFixtures.ts'
import { diffPolicies } from './diffPolicies.ts'

describe('diffPolicies', () => {
  test('identical documents: no changes', () => {
    const policy = { chains: { allow: ['anvil'] }, rateLimits: [{ window: '1h', max: 3 }] }
    expect(diffPolicies(policy, structuredClone(policy))).toEqual([])
  })

  test('changed, added and removed fields', () => {
    expect(
      diffPolicies(
        { description: 'a', limits: { windows: [{ window: '1h', asset: 'anvil:native', max: '1' }] } },
        {
          limits: { windows: [{ window: '1h', asset: 'anvil:native', max: '2' }] },
          rateLimits: [{ window: '1m', max: 1 }],
        },
      ),
    ).toEqual([
      { path: '$.description', before: 'a' },
      { path: '$.limits.windows[0].max', before: '1', after: '2' },
      { path: '$.rateLimits', after: [{ window: '1m', max: 1 }] },
    ])
  })

  test('lists of addresses compare as sets', () => {
    expect(
      diffPolicies({ recipients: { allow: [alice, bob] } }, { recipients: { allow: [bob, carol] } }),
    ).toEqual([
      { path: '$.recipients.allow[0]', before: alice },
      { path: '$.recipients.allow[1]', after: carol },
    ])
  })

  test('rules with ids are matched by id, whatever their position', () => {
    const a = {
      rateLimits: [
        { id: 'minute', window: '1m', max: 1 },
        { id: 'hour', window: '1h', max: 10 },
      ],
    }
    const b = {
      rateLimits: [
        { id: 'hour', window: '1h', max: 20 },
        { id: 'day', window: '1d', max: 50 },
      ],
    }
    expect(diffPolicies(a, b)).toEqual([
      { path: '$.rateLimits[0]', before: { id: 'minute', window: '1m', max: 1 } },
      { path: '$.rateLimits[0].max', before: 10, after: 20 },
      { path: '$.rateLimits[1]', after: { id: 'day', window: '1d', max: 50 } },
    ])
  })
})
