/** Policy issues are already JSON-pathed by the engine; this keeps their shape stable in API errors. */
import type { PolicyIssue } from '@bursar/core/policy'

export function issuesOfPolicy(issues: readonly PolicyIssue[]): Array<{ path: string; message: string }> {
  return issues.map((issue) => ({ path: issue.path, message: issue.message }))
}
