/** A deleted agent's queued intents are cancelled, not signed, and their reservations given back. */
import { appendAudit, type IntentRow, releaseReservations, type Sql, transitionIntent } from '@bursar/store'

export async function cancelForDeletedAgent(tx: Sql, row: IntentRow): Promise<void> {
  const moved = await transitionIntent(
    tx,
    row.id,
    ['queued'],
    'cancelled',
    {},
    { by: 'system', reason: 'agent deleted' },
  )
  if (!moved) return
  const released = await releaseReservations(tx, row.id)
  await appendAudit(tx, [
    {
      actor: { type: 'system', id: null },
      action: 'intent.cancelled',
      subject: { type: 'intent', id: row.id },
      data: { from: 'queued', reason: 'agent deleted', reservation_released: released > 0 },
    },
  ])
}
