/** Drops a database of a PostgreSQL server if it exists, ending the sessions still connected to it. */
import { assertDatabaseName, withAdminClient } from './adminClient.ts'

/** @example await dropDatabase('postgres://postgres@127.0.0.1:5432/test', 'bursar_t_1a2b') */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  assertDatabaseName(name)
  await withAdminClient(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`))
}
