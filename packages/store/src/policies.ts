/** Versioned policy documents: every change is a new version; decisions record the version they used. */
import type { Sql } from './Db.ts'

export type PolicyRow = {
  agent_id: string
  version: number
  document: unknown
  created_by: string | null
  created_at: Date
}

export async function getCurrentPolicy(sql: Sql, agentId: string): Promise<PolicyRow | undefined> {
  const [row] = await sql.query<PolicyRow>(
    'select * from policies where agent_id = $1 order by version desc limit 1',
    [agentId],
  )
  return row
}

export async function getPolicyVersion(
  sql: Sql,
  agentId: string,
  version: number,
): Promise<PolicyRow | undefined> {
  const [row] = await sql.query<PolicyRow>('select * from policies where agent_id = $1 and version = $2', [
    agentId,
    version,
  ])
  return row
}

export async function listPolicyVersions(sql: Sql, agentId: string): Promise<PolicyRow[]> {
  return sql.query<PolicyRow>('select * from policies where agent_id = $1 order by version', [agentId])
}

/** Caller holds the agent row lock, so versions cannot collide. */
export async function insertPolicyVersion(
  tx: Sql,
  agentId: string,
  document: unknown,
  createdBy: string,
): Promise<PolicyRow> {
  const [row] = await tx.query<PolicyRow>(
    `insert into policies (agent_id, version, document, created_by)
     values ($1, coalesce((select max(version) from policies where agent_id = $1), 0) + 1, $2, $3) returning *`,
    [agentId, JSON.stringify(document), createdBy],
  )
  return row!
}
