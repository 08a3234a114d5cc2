/** Due intents of one status, without locking them, each with whether a tripped breaker stops its agent. */
import type { IntentStatus } from '@bursar/core/api'
import type { Sql } from '../Db.ts'
import { agentHalted } from '../fragments/breakerTripped.ts'
import { intentStatusLiteral } from '../fragments/intentStatusLiteral.ts'
import type { IntentRow } from './IntentRow.ts'

/**
 * For the confirmer: following a transaction already out goes on under a tripped breaker, sending it again does not,
 * so halted rows are returned and flagged rather than left out.
 */
export async function listDueIntents(
  sql: Sql,
  status: IntentStatus,
  limit: number,
): Promise<Array<IntentRow & { halted: boolean }>> {
  return sql.query<IntentRow & { halted: boolean }>(
    `select i.*, ${agentHalted('i.agent_id')} as halted
       from intents i where status = ${intentStatusLiteral(status)} and next_attempt_at <= now() order by id limit $1`,
    [limit],
  )
}
