/** Marks an intent failed, releasing its reservation when nothing reached the chain. */
import type { IntentStatus } from '@bursar/core/api'
import { appendAudit, type IntentPatch, releaseReservations, type Sql, transitionIntent } from '@bursar/store'

export async function failIntent(
  tx: Sql,
  intentId: string,
  from: readonly IntentStatus[],
  error: { code: string; message: string },
  options: { release: boolean; patch?: IntentPatch } = { release: true },
): Promise<boolean> {
  const row = await transitionIntent(tx, intentId, from, 'failed', { error, ...options.patch }, { error })
  if (!row) return false
  const released = options.release ? await releaseReservations(tx, intentId) : 0
  await appendAudit(tx, [
    {
      actor: { type: 'system', id: null },
      action: 'intent.failed',
      subject: { type: 'intent', id: intentId },
      data: { code: error.code, message: error.message, reservation_released: released > 0 },
    },
  ])
  return true
}
