/** Agents: owned by an organisation, active, paused or deleted (soft: their history stays). */
import type { Sql } from './Db.ts'
import { breakerTripped } from './fragments/breakerTripped.ts'
import { newId } from './newId.ts'
import { type UsageQuery, type UsageRead, usageColumns } from './reservations.ts'

export type AgentStatus = 'active' | 'paused' | 'deleted'
export type AgentRow = {
  id: string
  org_id: string
  name: string
  status: AgentStatus
  created_at: Date
  updated_at: Date
}

export async function insertAgent(tx: Sql, orgId: string, name: string): Promise<AgentRow> {
  const [row] = await tx.query<AgentRow>(
    `insert into agents (id, org_id, name, status) values ($1, $2, $3, 'active') returning *`,
    [newId('agt'), orgId, name],
  )
  return row!
}

export async function getAgent(
  sql: Sql,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<AgentRow | undefined> {
  const [row] = await sql.query<AgentRow>(
    `select * from agents where id = $1${options.forUpdate ? ' for update' : ''}`,
    [id],
  )
  return row
}

export async function listAgents(sql: Sql, orgId: string, includeDeleted = false): Promise<AgentRow[]> {
  return sql.query<AgentRow>(
    `select * from agents where org_id = $1 ${includeDeleted ? '' : `and status <> 'deleted'`} order by id`,
    [orgId],
  )
}

export async function setAgentStatus(tx: Sql, id: string, status: AgentStatus): Promise<AgentRow> {
  const [row] = await tx.query<AgentRow>(
    'update agents set status = $2, updated_at = now() where id = $1 returning *',
    [id, status],
  )
  return row!
}

/** Takes the agent's decision lock and returns its status (re-read after any wait, as the row itself is locked). */
export async function lockAgent(tx: Sql, agentId: string): Promise<AgentStatus | undefined> {
  const [row] = await tx.query<{ status: AgentStatus }>(
    'select status from agents where id = $1 for update',
    [agentId],
  )
  return row?.status
}

export type DecisionState = {
  policyVersion: number | null
  breaker: { scope: 'agent' | 'global'; reason: string | null } | null
  usage: UsageRead | undefined
}

/**
 * After lockAgent, in a new statement (so a fresh snapshot sees what the previous lock holder committed): the policy
 * version in force, a tripped breaker if any, and — speculatively, for the policy the caller expects — usage.
 */
export async function readDecisionState(
  tx: Sql,
  agentId: string,
  usage?: UsageQuery,
): Promise<DecisionState> {
  const params: unknown[] = [agentId]
  const p = (value: unknown) => {
    params.push(value)
    return `$${params.length}`
  }
  const extra = usage ? usageColumns(usage, p) : undefined
  const [row] = await tx.query<Record<string, unknown>>(
    `select (select max(version) from policies where agent_id = $1) as policy_version,
            b.scope as breaker_scope, b.reason as breaker_reason${extra?.columns.length ? `, ${extra.columns.join(', ')}` : ''}
       from (select 1) one
       left join lateral (select t.scope, t.reason from breakers t where ${breakerTripped('$1', 't')}
                           order by (t.scope = 'global') desc limit 1) b on true`,
    params,
  )
  return {
    policyVersion: (row!.policy_version as number | null) ?? null,
    breaker: row!.breaker_scope
      ? {
          scope: row!.breaker_scope as 'agent' | 'global',
          reason: (row!.breaker_reason as string | null) ?? null,
        }
      : null,
    usage: extra ? extra.read(row!) : undefined,
  }
}
