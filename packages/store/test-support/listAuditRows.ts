/** Test support: audit log rows, sealed or not, read straight from the table. */
import type { Sql } from '../src/Db.ts'
import { conditions } from '../src/fragments/conditions.ts'
import type { AuditLogRow } from './AuditLogRow.ts'

export type ListAuditRowsFilter = {
  seq?: number
  /** Only entries the sealer has linked into the chain (`seq is not null`). */
  sealed?: boolean
  subjectIds?: readonly string[]
  actions?: readonly string[]
  /** Actions starting with this text, e.g. `'breaker.'`. */
  actionPrefix?: string
}

export type ListAuditRowsOrder = { orderBy?: 'seq' | 'id'; limit?: number }

/**
 * Every audit row matching all of `filter` (every row when it is empty), unsealed ones included, which the
 * audit API does not list. For tests. Rows come in the database's order unless `orderBy` is given.
 *
 * @example const rows = await listAuditRows(db, { actionPrefix: 'breaker.', subjectIds: [agentId] }, { orderBy: 'seq' })
 */
export async function listAuditRows(
  sql: Sql,
  filter: ListAuditRowsFilter = {},
  order: ListAuditRowsOrder = {},
): Promise<AuditLogRow[]> {
  const { clauses: where, params, add } = conditions()
  if (filter.seq !== undefined) add('seq = ?', filter.seq)
  if (filter.sealed) where.push('seq is not null')
  if (filter.actionPrefix !== undefined) add('action like ?', `${filter.actionPrefix}%`)
  if (filter.subjectIds !== undefined) add('subject_id = any(?::text[])', filter.subjectIds)
  if (filter.actions !== undefined) add('action = any(?::text[])', filter.actions)
  let text = 'select * from audit_log'
  if (where.length > 0) text += ` where ${where.join(' and ')}`
  if (order.orderBy !== undefined) text += ` order by ${order.orderBy}`
  if (order.limit !== undefined) {
    params.push(order.limit)
    text += ` limit $${params.length}`
  }
  return sql.query<AuditLogRow>(text, params)
}
