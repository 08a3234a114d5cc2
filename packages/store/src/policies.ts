/** Versioned policy documents: every change is a new version; decisions record the version they used. */
import type { Sql } from './Db.ts'

export type PolicyRow = {
  agent_id: string
  version: number
  document: unknown
  created_by: string | null
  created_at: Date
  /** SHA-256 of the document's canonical JSON, as recorded in its policy.set audit entry. */
  document_hash: string | null
  /** MAC over (agent, version, document_hash) with a key derived from the master seed. */
  mac: string | null
}

export async function getCurrentPolicy(sql: Sql, agentId: string): Promise<PolicyRow | undefined> {
  const [row] = await sql.query<PolicyRow>(
    'select * from policies where agent_id = $1 order by version desc limit 1',
    [agentId],
  )
  return row
}

/** The newest version number of the agent's policy (the one in force), or null when it has none. */
export async function getCurrentPolicyVersion(sql: Sql, agentId: string): Promise<number | null> {
  const [row] = await sql.query<{ version: number | null }>(
    'select max(version) as version from policies where agent_id = $1',
    [agentId],
  )
  return row?.version ?? null
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

/**
 * Caller holds the agent row lock, so versions cannot collide. `seal` computes the MAC of the new version from its
 * number (which only this transaction knows) and the document's hash.
 */
export async function insertPolicyVersion(
  tx: Sql,
  params: {
    agentId: string
    document: unknown
    createdBy: string
    documentHash: string
    seal(version: number): string
  },
): Promise<PolicyRow> {
  const [next] = await tx.query<{ version: number }>(
    'select coalesce(max(version), 0)::int + 1 as version from policies where agent_id = $1',
    [params.agentId],
  )
  const version = next!.version
  const [row] = await tx.query<PolicyRow>(
    `insert into policies (agent_id, version, document, created_by, document_hash, mac)
     values ($1, $2, $3, $4, $5, $6) returning *`,
    [
      params.agentId,
      version,
      JSON.stringify(params.document),
      params.createdBy,
      params.documentHash,
      params.seal(version),
    ],
  )
  return row!
}

/** Every version of every policy with its document, in pages: for the audit check of in-place edits. */
export async function listPolicyDocuments(
  sql: Sql,
  options: { afterKey?: string; limit: number },
): Promise<Array<{ agent_id: string; version: number; document: unknown }>> {
  return sql.query(
    `select agent_id, version, document from policies where agent_id || ':' || lpad(version::text, 10, '0') > $1
      order by agent_id || ':' || lpad(version::text, 10, '0') limit $2`,
    [options.afterKey ?? '', options.limit],
  )
}

/** Policies written before documents were hashed and sealed (an upgrade): sealed once, by the process that upgraded. */
export async function listUnsealedPolicies(sql: Sql): Promise<PolicyRow[]> {
  return sql.query<PolicyRow>('select * from policies where mac is null order by agent_id, version')
}

/**
 * Unsealed policy versions written before sealing existed: their policy.set entry records no document hash (every
 * version written since records one). A version with no entry at all, or whose entry records a hash, was not written
 * by an older Bursar and is never a candidate for sealing.
 */
export async function listLegacyPolicies(sql: Sql): Promise<PolicyRow[]> {
  return sql.query<PolicyRow>(
    `select p.* from policies p
      where p.mac is null
        and exists (select 1 from audit_log l where l.subject_type = 'agent' and l.subject_id = p.agent_id
                     and l.action = 'policy.set' and (l.data->>'version')::int = p.version)
        and not exists (select 1 from audit_log l where l.subject_type = 'agent' and l.subject_id = p.agent_id
                         and l.action = 'policy.set' and (l.data->>'version')::int = p.version
                         and l.data ? 'document_hash')
      order by p.agent_id, p.version`,
  )
}

export async function sealPolicyVersion(
  tx: Sql,
  params: { agentId: string; version: number; documentHash: string; mac: string },
): Promise<void> {
  await tx.query('update policies set document_hash = $3, mac = $4 where agent_id = $1 and version = $2', [
    params.agentId,
    params.version,
    params.documentHash,
    params.mac,
  ])
}
