/** When an approval request expires: its reservation comes back then, whether or not anyone looked. */
import { defaultApprovalWaitSeconds } from '../policy/approvalWait.ts'
import type { CompiledApprovalRule } from '../policy/CompiledPolicy.ts'

/**
 * `createdAt` plus the shortest wait of the triggered rules (each its own `expiresAfter`, else the section's, else
 * 24 hours): a rule that wants an answer within the hour is not kept waiting by a laxer one.
 * @example approvalExpiry(new Date('2025-01-01T00:00:00Z'), [{ expiresAfterSeconds: undefined }]) // 2025-01-02T00:00:00Z
 * @example approvalExpiry(createdAt, [{ expiresAfterSeconds: 3600 }, { expiresAfterSeconds: undefined }]) // + 1 h
 */
export function approvalExpiry(
  createdAt: Date,
  rules: ReadonlyArray<Pick<CompiledApprovalRule, 'expiresAfterSeconds'>>,
): Date {
  const waits = rules.map((rule) => rule.expiresAfterSeconds ?? defaultApprovalWaitSeconds)
  const seconds = waits.length === 0 ? defaultApprovalWaitSeconds : Math.min(...waits)
  return new Date(createdAt.getTime() + seconds * 1000)
}
