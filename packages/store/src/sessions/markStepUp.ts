/** Records that a second factor was just proven in a session (step-up). */
import type { Sql } from '../Db.ts'
import { type SessionRow, sessionColumns, sessionLive } from './SessionRow.ts'

/**
 * Call it in the transaction that accepted the factor (recordTotpStep, useRecoveryCodeSlot, updatePasskeyCounter).
 * Undefined when the session is no longer live. Whether a step-up is recent enough (ADR 0007: 5 minutes) is the
 * caller's to judge from `step_up_at`.
 *
 * @example await markStepUp(tx, session.id)
 */
export async function markStepUp(tx: Sql, sessionId: string): Promise<SessionRow | undefined> {
  const [row] = await tx.query<SessionRow>(
    `update sessions set step_up_at = now() where id = $1 and ${sessionLive} returning ${sessionColumns}`,
    [sessionId],
  )
  return row
}
