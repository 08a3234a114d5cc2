/**
 * What a failed query leaves behind: the SQLSTATE code and where (constraint, table, column), never the values. The
 * drivers' own errors carry parameters (PGlite), the offending value (`invalid input syntax … "…"`) and key values
 * (`Key (hash)=(…) already exists`): any of them can be a secret's hash, so none of it reaches a log line.
 */
export class DatabaseError extends Error {
  override name = 'DatabaseError'
  readonly code: string | undefined
  readonly constraint: string | undefined
  readonly table: string | undefined
  readonly column: string | undefined
  /** The prepared statement's name (a hash of its text), or the first words of an unnamed one. */
  readonly statement: string | undefined

  constructor(source: Record<string, unknown>, statement: string | undefined) {
    const code = typeof source.code === 'string' ? source.code : undefined
    const routine = typeof source.routine === 'string' ? source.routine : undefined
    super(
      `database error ${code ?? 'unknown'}${routine ? ` (${routine})` : ''}${statement ? ` in ${statement}` : ''}`,
    )
    this.code = code
    this.constraint = typeof source.constraint === 'string' ? source.constraint : undefined
    this.table = typeof source.table === 'string' ? source.table : undefined
    this.column = typeof source.column === 'string' ? source.column : undefined
    this.statement = statement
  }
}

/** A driver error with a SQLSTATE (it came from the server), as opposed to a connection failure. */
export function isServerError(error: unknown): error is Record<string, unknown> & { code: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    /^[0-9A-Z]{5}$/.test((error as { code: string }).code) &&
    'severity' in error
  )
}
