/** The one way an existing intent changes status: checked against core's transition table, recorded as an event. */
import type { IntentStatus } from '@bursar/core/api'
import { BursarError } from '@bursar/core/errors'
import { assertIntentTransition } from '@bursar/core/intents'
import type { Sql } from '../Db.ts'
import { insertIntentEventRows } from '../fragments/insertIntentEventRows.ts'
import type { IntentRow } from './IntentRow.ts'

export type IntentPatch = {
  nonce?: number | null
  raw_tx?: string | null
  tx_hash?: string | null
  block_number?: number | null
  error?: { code: string; message: string } | null
  attempts?: number
  next_attempt_at?: Date
  decision?: unknown
  /** A fresh signing authority when an approved intent is queued (the approval never stands in for the MAC). */
  decision_mac?: string
  decision_expires_at?: Date
  last_sent_at?: Date | null
  cancel_requested_at?: Date | null
  nonce_used_seen_at?: Date | null
  block_hash?: string | null
  fee_paid?: string | null
}

const patchColumns = new Set([
  'nonce',
  'raw_tx',
  'tx_hash',
  'block_number',
  'error',
  'attempts',
  'next_attempt_at',
  'decision',
  'decision_mac',
  'decision_expires_at',
  'last_sent_at',
  'cancel_requested_at',
  'nonce_used_seen_at',
  'block_hash',
  'fee_paid',
])

/** `column = $n` for each field of `patch`, its value appended to `params`; only the patch's own columns pass. */
export function patchAssignments(patch: IntentPatch, params: unknown[]): string[] {
  const sets: string[] = []
  for (const [column, value] of Object.entries(patch)) {
    // Column names go into the statement: only the patch's own, never a key from elsewhere.
    if (!patchColumns.has(column))
      throw new BursarError('INTERNAL', `intent patch has an unknown column ${column}`)
    params.push(
      column === 'error' || column === 'decision' ? (value === null ? null : JSON.stringify(value)) : value,
    )
    sets.push(`${column} = $${params.length}`)
  }
  return sets
}

/**
 * Moves an intent from one of `from` to `to` and records the event. Returns undefined when the intent was not in an
 * expected state (someone else moved it first), so callers never overwrite a newer state. Throws (INTERNAL, before
 * any query) when some `from` → `to` is not a transition of the state machine: that is a bug, not a race.
 *
 * @example await transitionIntent(tx, id, ['broadcast'], 'confirmed', { block_number: 123 })
 */
export async function transitionIntent(
  tx: Sql,
  id: string,
  from: readonly IntentStatus[],
  to: IntentStatus,
  patch: IntentPatch = {},
  data: Record<string, unknown> = {},
): Promise<IntentRow | undefined> {
  for (const status of from) assertIntentTransition(status, to)
  const sets = ['status = $3', 'updated_at = now()']
  const params: unknown[] = [id, from, to]
  sets.push(...patchAssignments(patch, params))
  const [previous] = await tx.query<{ status: IntentStatus }>(
    'select status from intents where id = $1 and status = any($2::text[])',
    [id, from],
  )
  if (!previous) return undefined
  const [row] = await tx.query<IntentRow>(
    `update intents set ${sets.join(', ')} where id = $1 and status = any($2::text[]) returning *`,
    params,
  )
  if (!row) return undefined
  await tx.query(insertIntentEventRows('values ($1, $2, $3, $4)'), [
    id,
    previous.status,
    to,
    JSON.stringify(data),
  ])
  return row
}
