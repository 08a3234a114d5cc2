/** Creates an empty database on a PostgreSQL server (for test fixtures and tooling; migrate it afterwards). */
import { assertDatabaseName, withAdminClient } from './adminClient.ts'

/**
 * `adminUrl` is any database of the server the user may connect to; the new one is `name` beside it.
 *
 * @example await createDatabase('postgres://postgres@127.0.0.1:5432/test', 'bursar_t_1a2b')
 */
export async function createDatabase(adminUrl: string, name: string): Promise<void> {
  assertDatabaseName(name)
  await withAdminClient(adminUrl, (client) => client.query(`create database ${name}`))
}
