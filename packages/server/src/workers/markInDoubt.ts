/**
 * A node refused an intent's transaction, or forgot it and refused it again. That is not the last word (another
 * node may hold it and mine it), so the intent keeps its reservation and its nonce, in doubt, until the chain
 * settles it: one of its versions mined, or the nonce used by Bursar's cancellation or by something else.
 */
import { appendAudit, type IntentRow, type Sql, transitionIntent } from '@bursar/store'

export async function markInDoubt(
  tx: Sql,
  row: Pick<IntentRow, 'id' | 'status'>,
  refusal: { reason: string; message: string; cancelled?: boolean },
): Promise<boolean> {
  // A cancellation asked for before the first send is no refusal: it leaves no error behind.
  const error = refusal.cancelled ? null : { code: 'BROADCAST_REJECTED', message: refusal.message }
  const moved = await transitionIntent(
    tx,
    row.id,
    [row.status],
    'in_doubt',
    // Due at once: the broadcast lease it was claimed under must not hold the confirmer back.
    { error, last_sent_at: new Date(), next_attempt_at: new Date() },
    { reason: refusal.reason },
  )
  if (!moved) return false
  await appendAudit(tx, [
    {
      actor: { type: 'system', id: null },
      action: 'intent.in_doubt',
      subject: { type: 'intent', id: row.id },
      data: { from: row.status, reason: refusal.reason, message: refusal.message },
    },
  ])
  return true
}
