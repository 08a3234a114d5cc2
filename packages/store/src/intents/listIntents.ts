/** Pages of intents, newest first, filtered by owner, agent, status or network. */
import type { IntentStatus } from '@bursar/core/api'
import type { Sql } from '../Db.ts'
import { conditions } from '../fragments/conditions.ts'
import type { IntentRow } from './IntentRow.ts'

export type ListIntentsParameters = {
  orgId?: string
  agentId?: string
  status?: IntentStatus
  network?: string
  /** Exclusive: the id of the last intent of the previous page (ids sort by creation time). */
  before?: string
  limit: number
}

export async function listIntents(sql: Sql, parameters: ListIntentsParameters): Promise<IntentRow[]> {
  const { clauses: where, params, add } = conditions()
  if (parameters.agentId !== undefined) add('i.agent_id = ?', parameters.agentId)
  if (parameters.orgId !== undefined) add('a.org_id = ?', parameters.orgId)
  if (parameters.status !== undefined) add('i.status = ?', parameters.status)
  if (parameters.network !== undefined) add('i.network = ?', parameters.network)
  if (parameters.before !== undefined) add('i.id < ?', parameters.before)
  params.push(parameters.limit)
  return sql.query<IntentRow>(
    `select i.* from intents i join agents a on a.id = i.agent_id
      ${where.length ? `where ${where.join(' and ')}` : ''}
      order by i.id desc limit $${params.length}`,
    params,
  )
}
