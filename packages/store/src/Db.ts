/** The one database interface Bursar's queries use, with a PGlite and a PostgreSQL implementation. */

export type Row = Record<string, unknown>

export type Sql = {
  query<T extends Row = Row>(text: string, params?: readonly unknown[]): Promise<T[]>
}

export type Db = Sql & {
  kind: 'pglite' | 'postgres'
  /** Runs `fn` in one transaction; retried on serialization failure or deadlock. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>
  close(): Promise<void>
}
