/** Parses the owner's Cedar rules once, at validation time, so that evaluation never meets a syntax error. */
import type { DetailedError } from '@cedar-policy/cedar-wasm'
import type { CompiledCedar } from '../CompiledPolicy.ts'
import type { PolicyIssue } from '../PolicyIssue.ts'
import type { PolicyDocument } from '../policyDocumentSchema.ts'
import type { CedarEngine } from './CedarEngine.ts'
import { cedarBounds, checkCedarBounds, checkCedarSetBounds } from './cedarBounds.ts'
import { cedarContextFields } from './cedarContext.ts'

/** Id of the permit-all Bursar adds when the owner wrote only forbid rules, so that only forbids bite. */
const implicitPermitId = 'bursar-implicit-permit'
const implicitPermit = 'permit (principal, action, resource);'

export function compileCedar(
  rules: NonNullable<PolicyDocument['cedar']>,
  issues: PolicyIssue[],
  engine: CedarEngine | undefined,
): CompiledCedar | undefined {
  if (engine === undefined) {
    issues.push({
      path: '$.cedar',
      message: 'Cedar rules cannot be checked here: no Cedar engine is installed',
    })
    return undefined
  }
  // The whole set first: the rules run once per movement of value, so their number and size bound what one
  // evaluation costs. Too many rules are not parsed at all.
  const tooMuch = checkCedarSetBounds(rules.map((rule) => rule.policy))
  if (tooMuch !== undefined) {
    issues.push({ path: '$.cedar', message: tooMuch })
    if (rules.length > cedarBounds.maxRules) return undefined
  }
  const policies: Record<string, string> = {}
  const compiled: CompiledCedar['rules'] = {}
  let hasPermit = false
  let failed = tooMuch !== undefined
  rules.forEach((rule, index) => {
    const path = `$.cedar[${index}]`
    if (rule.id === implicitPermitId) {
      issues.push({ path: `${path}.id`, message: `"${implicitPermitId}" is reserved for Bursar` })
      failed = true
      return
    }
    // Shape first: a rule nested deep enough overflows the engine's stack, and must never reach it.
    const tooBig = checkCedarBounds(rule.policy)
    if (tooBig !== undefined) {
      issues.push({ path: `${path}.policy`, message: tooBig })
      failed = true
      return
    }
    const parsed = engine.parsePolicy(rule.id, rule.policy)
    if (!parsed.ok) {
      for (const error of parsed.errors)
        issues.push({ path: `${path}.policy`, message: describe(error, rule.policy) })
      failed = true
      return
    }
    policies[rule.id] = rule.policy
    compiled[rule.id] = { rule: rule.id, effect: parsed.effect }
    if (parsed.effect === 'permit') hasPermit = true
  })
  if (failed) return undefined
  if (!hasPermit) policies[implicitPermitId] = implicitPermit
  return {
    engine,
    policies,
    rules: compiled,
    hasPermit,
    fields: mentionedFields(rules.map((rule) => rule.policy).join('\n')),
  }
}

/**
 * Cedar reads a record attribute only by writing its name (`context.x`, `context["x"]`, `context has x`), so a field
 * whose name appears nowhere in the text cannot be read and need not be built. A name inside a string literal only
 * makes the context larger, never wrong.
 */
function mentionedFields(text: string): ReadonlySet<string> {
  const fields = new Set<string>()
  for (const field of cedarContextFields) {
    if (new RegExp(`(?<![A-Za-z0-9_])${field}(?![A-Za-z0-9_])`).test(text)) fields.add(field)
  }
  return fields
}

/** Cedar's message with the line and column it points at, and its hint. */
function describe(error: DetailedError, text: string): string {
  const parts = [
    `Cedar: ${error.message.replace(/^failed to parse policy with id `[^`]*` from string: /, '')}`,
  ]
  const location = error.sourceLocations?.[0]
  if (location !== undefined) {
    const before = text.slice(0, location.start)
    const line = before.split('\n').length
    const column = location.start - before.lastIndexOf('\n')
    parts.push(`at line ${line}, column ${column}`)
    if (location.label) parts.push(`(${location.label})`)
  }
  if (error.help) parts.push(`- ${error.help}`)
  return parts.join(' ')
}
