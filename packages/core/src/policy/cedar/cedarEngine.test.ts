import { createRequire } from 'node:module'
import { describe, expect, test } from 'vitest'
import { alice, codes, compile, evaluate, nativeTransfer } from '../../../test/policyFixtures.ts'
import { nodeCedarEngine } from '../../cedar-node/nodeCedarEngine.ts'
import { validatePolicy } from '../validatePolicy.ts'
import { type CedarWasm, createCedarEngine } from './CedarEngine.ts'
import { cedarBounds, checkCedarBounds, checkCedarSetBounds } from './cedarBounds.ts'

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

describe("a policy's Cedar rules are bounded together (they run once per movement of value)", () => {
  const rule = (i: number) => `forbid (principal, action, resource) when { context.amount == "${i}" };`
  const many = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, policy: rule(i) }))

  test(`${cedarBounds.maxRules} rules are accepted`, () => {
    expect(validatePolicy({ cedar: many(cedarBounds.maxRules) }).ok).toBe(true)
  })

  test(`error: ${cedarBounds.maxRules + 1} rules are refused at $.cedar, before any is parsed`, () => {
    const rules = many(cedarBounds.maxRules + 1)
    rules[3] = { id: 'broken', policy: 'forbid (principal, action, resource) when { context.amount == ' }
    const result = validatePolicy({ cedar: rules })
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.issues).toEqual([
        {
          path: '$.cedar',
          message: `a policy may have at most ${cedarBounds.maxRules} Cedar rules (this one: 33)`,
        },
      ])
    }
  })

  test('error: rules each within their own bounds but too long in all are refused', () => {
    // Five rules of ~7 KB: each passes checkCedarBounds, together they exceed the total.
    const long = (i: number) =>
      `forbid (principal, action, resource) when { context.network == "${String(i).repeat(7000)}" };`
    const rules = Array.from({ length: 5 }, (_, i) => ({ id: `long${i}`, policy: long(i) }))
    for (const { policy } of rules) expect(checkCedarBounds(policy)).toBeUndefined()
    const result = validatePolicy({ cedar: rules })
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.issues).toEqual([
        {
          path: '$.cedar',
          message: expect.stringContaining(`at most ${cedarBounds.maxTotalLength} characters in all`),
        },
      ])
    }
    expect(validatePolicy({ cedar: rules.slice(0, 4) }).ok).toBe(true)
  })

  test('error: rules each within their own bounds but using too many operators in all are refused', () => {
    // Lists of 250 numbers: 250 operators (its commas and brackets) each, four of them over the total.
    const list = (i: number) =>
      `forbid (principal, action, resource) when { [${Array.from({ length: 245 }, (_, k) => i * 1000 + k).join(', ')}].contains(context.amountLong) };`
    const rules = Array.from({ length: 5 }, (_, i) => ({ id: `list${i}`, policy: list(i) }))
    for (const { policy } of rules) expect(checkCedarBounds(policy)).toBeUndefined()
    expect(checkCedarSetBounds(rules.map((r) => r.policy))).toContain(
      `at most ${cedarBounds.maxTotalOperators} operators in all`,
    )
    expect(validatePolicy({ cedar: rules }).ok).toBe(false)
    expect(validatePolicy({ cedar: rules.slice(0, 3) }).ok).toBe(true)
  })

  test('error: a list of 400 elements is refused (each comma counts as an operator)', () => {
    const policy = `forbid (principal, action, resource) when { [${Array(400).fill('1').join(',')}].contains(context.amountLong) };`
    expect(checkCedarBounds(policy)).toContain(`at most ${cedarBounds.maxOperators} operators`)
  })

  test('commas and brackets inside strings and comments are not operators', () => {
    const policy = `// ${'[,'.repeat(400)}\nforbid (principal, action, resource) when { context.network == "${'(,'.repeat(400)}" };`
    expect(checkCedarBounds(policy)).toBeUndefined()
  })
})

describe('a compiled policy set is found again by identity', () => {
  test('the set is serialised and parsed once, however many requests it decides', () => {
    let reads = 0
    const policies: Record<string, string> = {}
    Object.defineProperty(policies, 'p', {
      enumerable: true,
      get() {
        reads++
        return 'permit (principal, action, resource);'
      },
    })
    const engine = nodeCedarEngine()
    expect(engine.isAuthorized(request, policies)).toMatchObject({ response: { decision: 'allow' } })
    const afterFirst = reads
    expect(afterFirst).toBeGreaterThan(0)
    for (let i = 0; i < 5; i++) engine.isAuthorized(request, policies)
    expect(reads).toBe(afterFirst)
  })

  test('two objects with the same text share one parsed set; a different text gets its own', () => {
    const require = createRequire(import.meta.url)
    const wasm = require('@cedar-policy/cedar-wasm/nodejs') as CedarWasm
    const parsed: string[] = []
    const engine = createCedarEngine(() => ({
      ...wasm,
      preparsePolicySet: (id, set) => {
        parsed.push(id)
        return wasm.preparsePolicySet(id, set)
      },
    }))
    const permit = 'permit (principal, action, resource);'
    expect(engine.isAuthorized(request, { p: permit })).toMatchObject({ response: { decision: 'allow' } })
    expect(engine.isAuthorized(request, { p: permit })).toMatchObject({ response: { decision: 'allow' } })
    expect(parsed).toHaveLength(1)
    expect(engine.isAuthorized(request, { f: 'forbid (principal, action, resource);' })).toMatchObject({
      response: { decision: 'deny' },
    })
    expect(parsed).toHaveLength(2)
  })

  test('after the cache of parsed sets is emptied, a policy seen before is not answered with another set', () => {
    // A stand-in module: it allows when the set it was given under the id contains a permit.
    const stored = new Map<string, string>()
    const fake = {
      checkParsePolicySet: () => ({ type: 'success' }),
      policyToJson: () => ({ type: 'success', json: { effect: 'permit' } }),
      preparsePolicySet: (id: string, set: { staticPolicies: Record<string, string> }) => {
        stored.set(id, Object.values(set.staticPolicies).join('\n'))
        return { type: 'success' }
      },
      statefulIsAuthorized: (call: { preparsedPolicySetId: string }) => ({
        type: 'success',
        response: {
          decision: stored.get(call.preparsedPolicySetId)?.startsWith('permit') ? 'allow' : 'deny',
          diagnostics: { reason: [], errors: [] },
        },
        warnings: [],
      }),
    } as unknown as CedarWasm
    const engine = createCedarEngine(() => fake)
    engine.isAuthorized(request, { f: 'forbid first' })
    const first = { a: 'permit (principal, action, resource);' }
    expect(engine.isAuthorized(request, first)).toMatchObject({ response: { decision: 'allow' } })
    // Enough other sets to empty the cache and reuse ids, the one `first` had among them.
    for (let i = 0; i < 10_010; i++) engine.isAuthorized(request, { f: `forbid ${i}` })
    expect(engine.isAuthorized(request, first)).toMatchObject({ response: { decision: 'allow' } })
  })
})
