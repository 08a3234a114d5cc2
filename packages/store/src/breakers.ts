/** Circuit breaker state, per agent and global. */
import type { Sql } from './Db.ts'

export type BreakerRow = {
  scope_key: string
  scope: 'agent' | 'global'
  agent_id: string | null
  tripped: boolean
  signal: string | null
  reason: string | null
  tripped_at: Date | null
  tripped_by: string | null
  reset_at: Date | null
  reset_by: string | null
}

/** Trips a breaker; returns false when it was already tripped (so callers audit a trip once). */
export async function tripBreaker(
  tx: Sql,
  params: { agentId: string | null; signal: string; reason: string; by: string },
): Promise<boolean> {
  const scopeKey = params.agentId ?? 'global'
  const rows = await tx.query(
    `insert into breakers (scope_key, scope, agent_id, tripped, signal, reason, tripped_at, tripped_by)
     values ($1, $2, $3, true, $4, $5, now(), $6)
     on conflict (scope_key) do update set tripped = true, signal = excluded.signal, reason = excluded.reason,
       tripped_at = now(), tripped_by = excluded.tripped_by
       where not breakers.tripped
     returning scope_key`,
    [scopeKey, params.agentId ? 'agent' : 'global', params.agentId, params.signal, params.reason, params.by],
  )
  return rows.length > 0
}

export async function resetBreaker(
  tx: Sql,
  agentId: string | null,
  by: string,
): Promise<BreakerRow | undefined> {
  const [row] = await tx.query<BreakerRow>(
    `update breakers set tripped = false, reset_at = now(), reset_by = $2 where scope_key = $1 and tripped returning *`,
    [agentId ?? 'global', by],
  )
  return row
}

export async function listBreakers(sql: Sql, orgId: string): Promise<BreakerRow[]> {
  return sql.query<BreakerRow>(
    `select b.* from breakers b left join agents a on a.id = b.agent_id
      where b.scope = 'global' or a.org_id = $1 order by b.scope_key`,
    [orgId],
  )
}

/** Counts for the automatic signals, within a window ending now. */
export async function countRecentDenials(tx: Sql, agentId: string, windowSeconds: number): Promise<number> {
  const [row] = await tx.query<{ n: number }>(
    `select count(*)::int as n from intents where agent_id = $1 and status = 'rejected'
        and created_at > now() - make_interval(secs => $2)`,
    [agentId, windowSeconds],
  )
  return row!.n
}

export async function countRecentFailures(tx: Sql, agentId: string, windowSeconds: number): Promise<number> {
  const [row] = await tx.query<{ n: number }>(
    `select count(*)::int as n from intents where agent_id = $1 and status = 'failed'
        and error->>'code' in ('BROADCAST_REJECTED', 'ONCHAIN_REVERTED')
        and updated_at > now() - make_interval(secs => $2)`,
    [agentId, windowSeconds],
  )
  return row!.n
}
