/** Test support: the rows a refused request could have changed, for a before-and-after comparison. */
import type { Row, Sql } from '../src/Db.ts'

export type RowsSnapshot = {
  agents: Row[]
  keys: Row[]
  policies: Row[]
  intents: Row[]
  events: Row[]
  reservations: Row[]
  audit: Row[]
}

/**
 * Agents (id, status, owner), API keys (id, agent, revocation), policy versions, intents and their events (id
 * and status), reservations (id and status) and audit rows (id and action), each in a fixed order. Last-use
 * timestamps, seq and hashes are left out: the server and the background sealer change those on their own.
 * For tests.
 *
 * @example const before = await snapshotRows(db); ...; expect(await snapshotRows(db)).toEqual(before)
 */
export async function snapshotRows(sql: Sql): Promise<RowsSnapshot> {
  return {
    agents: await sql.query('select id, status, org_id from agents order by id'),
    keys: await sql.query('select id, agent_id, revoked_at from api_keys order by id'),
    policies: await sql.query('select agent_id, version from policies order by agent_id, version'),
    intents: await sql.query('select id, status from intents order by id'),
    events: await sql.query('select id, intent_id, to_status from intent_events order by id'),
    reservations: await sql.query('select id, status from spend_reservations order by id'),
    audit: await sql.query('select id, action from audit_log order by id'),
  }
}
