/** Test support: an agent's row lock held from a connection of its own, so a test decides when it is let go. */
import pg from 'pg'
import type { Row, Sql } from '../src/Db.ts'

export type AgentLockHold = {
  /** Statements inside the transaction that holds the lock: committed together by `commit`. */
  sql: Sql
  /** Resolves once some session waits on a lock (or after about two seconds, whichever is first). */
  waitForWaiter(): Promise<void>
  /** Commits what `sql` wrote and lets the lock go. */
  commit(): Promise<void>
  /** Rolls back whatever is uncommitted and closes the connection; safe to call more than once. */
  close(): Promise<void>
}

/**
 * Opens a connection to the PostgreSQL database at `url`, begins a transaction and locks the agent's row
 * (`for update`, as a decision does), for concurrency tests: writes made through `hold.sql` become visible to
 * the waiting decision exactly when `commit` runs.
 *
 * @example
 * const hold = await holdAgentLock(url, agentId)
 * try { const waiting = submit(); await hold.waitForWaiter(); await hold.commit(); await waiting } finally { await hold.close() }
 */
export async function holdAgentLock(url: string, agentId: string): Promise<AgentLockHold> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  let open = true
  const sql: Sql = {
    query: async <T extends Row>(text: string, params?: readonly unknown[]) =>
      (await client.query(text, params as unknown[])).rows as T[],
  }
  try {
    await client.query('begin')
    await client.query('select 1 from agents where id = $1 for update', [agentId])
  } catch (error) {
    await client.end().catch(() => {})
    throw error
  }
  return {
    sql,
    waitForWaiter: async () => {
      for (let i = 0; i < 200; i++) {
        const [row] = await sql.query<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock'`,
        )
        if (row!.n > 0) return
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    },
    commit: async () => {
      await client.query('commit')
      open = false
      await client.end()
    },
    close: async () => {
      if (!open) return
      open = false
      await client.query('rollback').catch(() => {})
      await client.end().catch(() => {})
    },
  }
}
