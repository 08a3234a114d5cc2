/** The one way into the engine: parse an owner's document, check it, compile it, and point out contradictions. */
import type { z } from 'zod'
import type { CompiledPolicy } from './CompiledPolicy.ts'
import type { CedarEngine } from './cedar/CedarEngine.ts'
import { defaultCedarEngine } from './cedar/defaultCedarEngine.ts'
import { compilePolicy } from './compilePolicy.ts'
import { jsonPath } from './jsonPath.ts'
import type { PolicyIssue } from './PolicyIssue.ts'
import type { PolicyWarning } from './PolicyWarning.ts'
import { policyDocumentSchema } from './policyDocumentSchema.ts'
import { policyWarnings } from './policyWarnings.ts'

export type ValidatePolicyReturnType =
  | { ok: true; policy: CompiledPolicy; warnings: PolicyWarning[] }
  | { ok: false; issues: PolicyIssue[] }

/**
 * Parses `input` (unknown JSON), runs the semantic checks (including parsing every Cedar rule) and compiles it.
 * A policy that validates never fails at evaluation time. Compile once per policy version and cache the result.
 * Cedar rules are parsed by `options.cedar`, else by the engine installed with setDefaultCedarEngine.
 * @example
 * const result = validatePolicy({ limits: { perTransaction: [{ asset: 'anvil:native', max: '1000000000000000000' }] } })
 * if (!result.ok) console.log(result.issues) // [{ path: '$.limits…', message: '…' }]
 */
export function validatePolicy(
  input: unknown,
  options: { cedar?: CedarEngine } = {},
): ValidatePolicyReturnType {
  const parsed = policyDocumentSchema.safeParse(input)
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.flatMap(toIssues) }
  const issues: PolicyIssue[] = []
  const policy = compilePolicy(parsed.data, issues, options.cedar ?? defaultCedarEngine())
  if (policy === undefined) return { ok: false, issues }
  return { ok: true, policy, warnings: policyWarnings(policy) }
}

function toIssues(issue: z.core.$ZodIssue): PolicyIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: jsonPath([...issue.path, key]),
      message: 'is not a known field',
    }))
  }
  return [{ path: jsonPath(issue.path), message: issue.message }]
}
