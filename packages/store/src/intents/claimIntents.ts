/** Work for executors: due intents of one status, locked for this transaction; rows another executor holds are skipped. */
import type { IntentStatus } from '@bursar/core/api'
import type { Sql } from '../Db.ts'
import { agentHalted } from '../fragments/breakerTripped.ts'
import { intentStatusLiteral } from '../fragments/intentStatusLiteral.ts'
import type { IntentRow } from './IntentRow.ts'

export type ClaimIntentsParameters = {
  status: IntentStatus
  limit: number
  /** 'id' (oldest first, the default) or 'sequence' (by wallet, network and nonce: the order a node accepts them). */
  order?: 'id' | 'sequence'
}

/**
 * Never claims an intent of an agent a tripped breaker stops. Rows locked by another executor are skipped, never
 * waited on.
 *
 * @example const rows = await claimIntents(tx, { status: 'queued', limit: 50 })
 */
export async function claimIntents(tx: Sql, parameters: ClaimIntentsParameters): Promise<IntentRow[]> {
  const order = parameters.order === 'sequence' ? 'wallet_id, network, nonce' : 'id'
  return tx.query<IntentRow>(
    `select * from intents i where status = ${intentStatusLiteral(parameters.status)} and next_attempt_at <= now()
        and not ${agentHalted('i.agent_id')}
      order by ${order} limit $1 for update skip locked`,
    [parameters.limit],
  )
}
