/** Changes an intent's execution details without changing its status (what a follower learnt of its transaction). */
import type { IntentStatus } from '@bursar/core/api'
import type { Sql } from '../Db.ts'
import type { IntentRow } from './IntentRow.ts'
import { type IntentPatch, patchAssignments } from './transitionIntent.ts'

/**
 * Only while the intent is in one of `statuses`: a caller that looked at it before someone else moved it changes
 * nothing. Returns the updated row, or undefined.
 *
 * @example await updateIntent(tx, id, ['broadcast'], { block_number: 12, block_hash: '0x…' })
 */
export async function updateIntent(
  tx: Sql,
  id: string,
  statuses: readonly IntentStatus[],
  patch: IntentPatch,
): Promise<IntentRow | undefined> {
  const params: unknown[] = [id, statuses]
  const sets = patchAssignments(patch, params)
  if (sets.length === 0) return undefined
  const [row] = await tx.query<IntentRow>(
    `update intents set ${sets.join(', ')}, updated_at = now() where id = $1 and status = any($2::text[]) returning *`,
    params,
  )
  return row
}
