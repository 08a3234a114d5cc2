/** Due intents of one status, without locking them, each with whether a tripped breaker stops its agent. */
import type { IntentStatus } from '@bursar/core/api'
import type { Sql } from '../Db.ts'
import { agentHalted } from '../fragments/breakerTripped.ts'
import { intentStatusLiteral } from '../fragments/intentStatusLiteral.ts'
import type { IntentRow } from './IntentRow.ts'

export type DueIntentRow = IntentRow & { halted: boolean; wallet_address: string }

/**
 * For the confirmer: following a transaction already out goes on under a tripped breaker, sending it again does not,
 * so halted rows are returned and flagged rather than left out. With the wallet's address, which the chain is asked
 * about.
 */
export async function listDueIntents(sql: Sql, status: IntentStatus, limit: number): Promise<DueIntentRow[]> {
  return sql.query<DueIntentRow>(
    `select i.*, ${agentHalted('i.agent_id')} as halted, w.address as wallet_address
       from intents i join wallets w on w.id = i.wallet_id
      where i.status = ${intentStatusLiteral(status)} and i.next_attempt_at <= now() order by i.id limit $1`,
    [limit],
  )
}
