/** Test support: an agent's breaker row written as tripped, with SQL alone. */
import type { Sql } from '../src/Db.ts'

/**
 * Inserts a tripped manual breaker for the agent, with no trip time, no author and no audit entry: for tests
 * that need the row itself (for instance written under a lock they hold). Fails if the agent has a breaker row.
 *
 * @example await insertTrippedBreaker(lock.sql, agentId, 'held')
 */
export async function insertTrippedBreaker(sql: Sql, agentId: string, reason: string): Promise<void> {
  await sql.query(
    `insert into breakers (scope_key, scope, agent_id, tripped, signal, reason) values ($1, 'agent', $1, true, 'manual', $2)`,
    [agentId, reason],
  )
}
