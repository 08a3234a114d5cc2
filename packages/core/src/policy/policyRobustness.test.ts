import { describe, expect, test } from 'vitest'
import { alice, evaluate, mondayNoon, router, token, tokenTransfer } from '../../test/policyFixtures.ts'
import type { Effect, EffectiveIntent } from '../chains/EffectiveIntent.ts'
import { policyTemplates } from './policyTemplates.ts'
import { validatePolicy } from './validatePolicy.ts'

/** Small seeded PRNG (mulberry32) so failures reproduce. */
function random(seed: number) {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const oddValues: unknown[] = [
  null,
  undefined,
  true,
  0,
  -1,
  1.5,
  Number.NaN,
  '',
  '-1',
  '1e3',
  '9'.repeat(100),
  '0x',
  'anvil:native',
  [],
  [null],
  {},
  { id: 'x' },
  '24:00',
  '0h',
  'forbid (principal, action, resource);',
  '__proto__',
]

function mutate(value: unknown, next: () => number, depth = 0): unknown {
  if (depth > 6 || next() < 0.15) return oddValues[Math.floor(next() * oddValues.length)]
  if (Array.isArray(value)) return value.map((item) => (next() < 0.3 ? mutate(item, next, depth + 1) : item))
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = { ...value }
    for (const key of Object.keys(copy)) if (next() < 0.3) copy[key] = mutate(copy[key], next, depth + 1)
    if (next() < 0.05) copy.unexpected = 1
    return copy
  }
  return value
}

describe('robustness', () => {
  test('validatePolicy never throws on mangled documents, and every issue has a JSON path', () => {
    const next = random(42)
    const templates = Object.values(policyTemplates)
    for (let i = 0; i < 1000; i++) {
      const input = mutate(templates[i % templates.length], next)
      const result = validatePolicy(input)
      if (!result.ok) for (const issue of result.issues) expect(issue.path).toMatch(/^\$/)
    }
  })

  test('evaluatePolicy never throws on odd intents, and decisions are always JSON', () => {
    const next = random(7)
    const policies = Object.values(policyTemplates).map((template) => {
      const result = validatePolicy(template)
      if (!result.ok) throw new Error('template invalid')
      return result.policy
    })
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
    const amount = () => (next() < 0.2 ? 2n ** 255n : BigInt(Math.floor(next() * 1e9)))
    for (let i = 0; i < 2000; i++) {
      const effects: Effect[] = Array.from({ length: Math.floor(next() * 4) }, () => ({
        kind: pick(['transfer', 'approval', 'fee'] as const),
        asset: pick(['anvil:native', `anvil:${token}`, 'base:native']),
        amount: amount(),
        ...(next() < 0.8 ? { to: pick([token, router, alice]) } : {}),
        ...(next() < 0.1 ? { unlimited: true } : {}),
      }))
      const selector = pick(['0xa9059cbb', '0x095ea7b3', '0x12345678', '0x'])
      const intent: EffectiveIntent = {
        ...tokenTransfer(alice, BigInt(Math.floor(next() * 1e9))),
        agentId: next() < 0.1 ? 'agent "quoted" \u00e9\u0000' : 'agent-1',
        type: next() < 0.5 ? 'transfer' : 'call',
        target: pick([token, router, alice]),
        value: amount(),
        call: { selector },
        selectors: [selector],
        effects,
        unvalued: next() < 0.3 ? [{ selector, reason: 'unknown' }] : [],
        targetIsToken: next() < 0.5,
      }
      const now = new Date(mondayNoon.getTime() + Math.floor(next() * 7 * 86_400_000))
      const decision = evaluate(policies[i % policies.length], intent, undefined, { now })
      expect(JSON.parse(JSON.stringify(decision))).toEqual(decision)
    }
  })
})
