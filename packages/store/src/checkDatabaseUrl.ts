/** Connects to a PostgreSQL server once and asks it something: to fail fast, with the driver's own reason, at setup. */
import { withAdminClient } from './adminClient.ts'
import { pingDatabase } from './pingDatabase.ts'

/** Throws the driver's error (refused, unknown host, authentication failed) when the server does not answer. */
export async function checkDatabaseUrl(url: string): Promise<void> {
  await withAdminClient(url, (client) =>
    pingDatabase({ query: async (text) => (await client.query(text)).rows }),
  )
}
