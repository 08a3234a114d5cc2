import { describe, expect, test } from 'vitest'
import { nodeCedarEngine } from '../../cedar-node/nodeCedarEngine.ts'
import { alice, codes, compile, evaluate, nativeTransfer } from '../testFixtures.ts'
import { validatePolicy } from '../validatePolicy.ts'
import { cedarBounds, checkCedarBounds } from './cedarBounds.ts'

const deep = (n: number) =>
  `forbid (principal, action, resource) when { ${'('.repeat(n)}true${')'.repeat(n)} };`
const request = {
  principal: { type: 'Agent', id: 'a' },
  action: { type: 'Action', id: 'submit' },
  resource: { type: 'Intent', id: 'anvil' },
  context: {},
}

describe('Cedar rules are bounded before they reach the engine', () => {
  test('error: a rule nested 200 deep (the 491-byte request that broke every Cedar evaluation) is refused at save time', () => {
    const result = validatePolicy({ cedar: [{ id: 'deep', policy: deep(200) }] })
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.issues).toEqual([
        {
          path: '$.cedar[0].policy',
          message: expect.stringContaining(`at most ${cedarBounds.maxNesting} deep`),
        },
      ])
    }
  })

  test.each([
    [
      'a long chain of conditions',
      `forbid (principal, action, resource) when { ${Array(400).fill('context.amount == "1"').join(' && ')} };`,
    ],
    [
      'a rule over 8 KiB',
      `forbid (principal, action, resource) when { context.network == "${'x'.repeat(9000)}" };`,
    ],
    [
      'nested lists',
      `forbid (principal, action, resource) when { ${'['.repeat(60)}1${']'.repeat(60)} == 1 };`,
    ],
  ])('error: %s is refused', (_name, policy) => {
    expect(checkCedarBounds(policy)).toBeDefined()
  })

  test('ordinary rules, brackets inside strings and comments included, pass the bounds', () => {
    expect(
      checkCedarBounds(
        '// ((((((((((((((((((((((((((((((((((((((\npermit (principal, action, resource) when { context.network == "((((((((((((((((((((((((((((((((((((" };',
      ),
    ).toBeUndefined()
    expect(checkCedarBounds(deep(30))).toBeUndefined()
    expect(validatePolicy({ cedar: [{ id: 'ok', policy: deep(30) }] }).ok).toBe(true)
  })
})

describe('an engine broken by a failed call is replaced', () => {
  test('a call that overflows the engine fails closed, and the next call works on a fresh instance', () => {
    const engine = nodeCedarEngine()
    const permit = { p: 'permit (principal, action, resource);' }
    expect(engine.isAuthorized(request, permit)).toMatchObject({ type: 'success' })
    // Straight to the engine, past the bounds: this is what used to poison the process.
    const broken = engine.isAuthorized(request, { d: deep(300) })
    expect(broken.type).toBe('failure')
    expect(engine.isAuthorized(request, permit)).toMatchObject({
      type: 'success',
      response: { decision: 'allow' },
    })
    expect(engine.parsePolicy('x', 'forbid (principal, action, resource);')).toEqual({
      ok: true,
      effect: 'forbid',
    })
  })

  test('policies compiled before the failure keep evaluating (their sets are parsed again in the new instance)', () => {
    const engine = nodeCedarEngine()
    const policy = validatePolicy(
      {
        cedar: [
          { id: 'tiny', policy: 'forbid (principal, action, resource) when { context.amount == "1" };' },
        ],
      },
      { cedar: engine },
    )
    if (!policy.ok) throw new Error('policy')
    expect(codes(evaluate(policy.policy, nativeTransfer(alice, 1n)))).toEqual(['CEDAR_FORBID'])
    expect(engine.isAuthorized(request, { d: deep(300) }).type).toBe('failure')
    expect(codes(evaluate(policy.policy, nativeTransfer(alice, 1n)))).toEqual(['CEDAR_FORBID'])
    expect(codes(evaluate(compile({}), nativeTransfer(alice, 1n)))).toEqual([])
  })
})
