/** Applies the versioned SQL migrations in migrations/ once each, under a lock so concurrent starts are safe. */
import { readdir, readFile } from 'node:fs/promises'
import type { Db } from './Db.ts'

const migrationsDir = new URL('../migrations/', import.meta.url)

export type MigrateReturnType = { applied: string[] }

export async function migrate(db: Db): Promise<MigrateReturnType> {
  const files = (await readdir(migrationsDir)).filter((file) => file.endsWith('.sql')).sort()
  const applied: string[] = []
  await db.transaction(async (tx) => {
    // Two processes starting at once must not both apply a migration.
    await tx.query(`select pg_advisory_xact_lock(7442019)`)
    await tx.query(
      `create table if not exists schema_migrations (version text primary key, applied_at timestamptz not null default now())`,
    )
    const done = new Set(
      (await tx.query<{ version: string }>('select version from schema_migrations')).map(
        (row) => row.version,
      ),
    )
    for (const file of files) {
      if (done.has(file)) continue
      const sql = await readFile(new URL(file, migrationsDir), 'utf8')
      for (const statement of splitStatements(sql)) await tx.query(statement)
      await tx.query('insert into schema_migrations (version) values ($1)', [file])
      applied.push(file)
    }
  })
  return { applied }
}

// Extended-protocol queries take one statement each; our migrations keep to plain `;`-terminated statements.
function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0)
}
