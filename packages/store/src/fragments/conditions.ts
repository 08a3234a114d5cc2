/**
 * A WHERE clause built from optional filters, each value a bind parameter (never text in the statement). Write `?`
 * where the value goes; it becomes `$n`.
 *
 * @example
 * const c = conditions()
 * if (agentId !== undefined) c.add('agent_id = ?', agentId)
 * await sql.query(`select * from intents${c.where()}`, c.params)
 */
export function conditions(initial: { clauses?: string[]; params?: unknown[] } = {}) {
  const clauses = initial.clauses ?? []
  const params = initial.params ?? []
  return {
    clauses,
    params,
    add(clause: string, value: unknown) {
      params.push(value)
      clauses.push(clause.replace('?', `$${params.length}`))
    },
    /** ` where a and b`, or '' with no clause. */
    where: () => (clauses.length > 0 ? ` where ${clauses.join(' and ')}` : ''),
  }
}
