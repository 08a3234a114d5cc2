/** Agent API keys: shown once, stored as a hash, scoped to one agent, revocable. */
import type { Sql } from './Db.ts'
import { newId } from './newId.ts'
import { hashSecret, newSecret } from './secrets.ts'

export type ApiKeyRow = {
  id: string
  agent_id: string
  name: string | null
  prefix: string
  created_at: Date
  last_used_at: Date | null
  revoked_at: Date | null
}

export async function insertApiKey(
  tx: Sql,
  agentId: string,
  name: string | null,
): Promise<{ key: ApiKeyRow; secret: string }> {
  const secret = newSecret('agent_key')
  const [key] = await tx.query<ApiKeyRow>(
    `insert into api_keys (id, agent_id, name, prefix, hash) values ($1, $2, $3, $4, $5)
     returning id, agent_id, name, prefix, created_at, last_used_at, revoked_at`,
    [newId('key'), agentId, name, secret.prefix, secret.hash],
  )
  return { key: key!, secret: secret.secret }
}

export async function listApiKeys(sql: Sql, agentId: string): Promise<ApiKeyRow[]> {
  return sql.query<ApiKeyRow>(
    'select id, agent_id, name, prefix, created_at, last_used_at, revoked_at from api_keys where agent_id = $1 order by id',
    [agentId],
  )
}

export async function revokeApiKey(tx: Sql, agentId: string, keyId: string): Promise<ApiKeyRow | undefined> {
  const [row] = await tx.query<ApiKeyRow>(
    `update api_keys set revoked_at = coalesce(revoked_at, now()) where id = $1 and agent_id = $2
     returning id, agent_id, name, prefix, created_at, last_used_at, revoked_at`,
    [keyId, agentId],
  )
  return row
}

/** One key of the agent, live or revoked; `forUpdate` locks it (rotation must not race a revocation). */
export async function getApiKey(
  sql: Sql,
  agentId: string,
  keyId: string,
  options: { forUpdate?: boolean } = {},
): Promise<ApiKeyRow | undefined> {
  const [row] = await sql.query<ApiKeyRow>(
    `select id, agent_id, name, prefix, created_at, last_used_at, revoked_at from api_keys
      where id = $1 and agent_id = $2${options.forUpdate ? ' for update' : ''}`,
    [keyId, agentId],
  )
  return row
}

/** Revokes every live key of the agent (a deleted agent's keys die with it); returns how many. */
export async function revokeAgentApiKeys(tx: Sql, agentId: string): Promise<number> {
  const rows = await tx.query(
    'update api_keys set revoked_at = now() where agent_id = $1 and revoked_at is null returning id',
    [agentId],
  )
  return rows.length
}

export type AuthenticatedKey = { keyId: string; agentId: string; orgId: string; agentStatus: string }

/** Looks a presented key up by hash; records last use at most once a minute to keep the hot path read-only. */
export async function findApiKey(sql: Sql, secret: string): Promise<AuthenticatedKey | undefined> {
  const [row] = await sql.query<{
    id: string
    agent_id: string
    org_id: string
    status: string
    stale: boolean
  }>(
    `select k.id, k.agent_id, a.org_id, a.status,
            (k.last_used_at is null or k.last_used_at < now() - interval '1 minute') as stale
       from api_keys k join agents a on a.id = k.agent_id
      where k.hash = $1 and k.revoked_at is null`,
    [hashSecret(secret)],
  )
  if (!row) return undefined
  if (row.stale) await sql.query('update api_keys set last_used_at = now() where id = $1', [row.id])
  return { keyId: row.id, agentId: row.agent_id, orgId: row.org_id, agentStatus: row.status }
}
