/** The timelock (the Safe Delay-module idea, off chain): when an approved intent may go to the signer. */
import type { CompiledApprovalRule } from '../policy/CompiledPolicy.ts'

/**
 * The moment the approval completed plus the longest timelock of the triggered rules; until then any approver may
 * cancel the intent, and `executableAt - now` is the time left to show. No timelock: the moment of approval.
 * @example
 * executableAt({ status: 'approved', at: new Date('2025-01-01T12:00:00Z') }, [{ timelockSeconds: 3600 }, { timelockSeconds: 0 }])
 * // 2025-01-01T13:00:00Z
 */
export function executableAt(
  approval: { status: 'approved'; at: Date },
  rules: ReadonlyArray<Pick<CompiledApprovalRule, 'timelockSeconds'>>,
): Date {
  const seconds = Math.max(0, ...rules.map((rule) => rule.timelockSeconds))
  return new Date(approval.at.getTime() + seconds * 1000)
}
