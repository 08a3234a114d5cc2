/**
 * bursar owner create: makes an organisation with an admin service token and prints the token once. Talks to the
 * database directly. The instance's first organisation's token may also trip and reset the global halt.
 */
import { createDb, firstOrganisation, insertOrganisationWithToken, migrate } from '@bursar/store'
import { type Output, print } from '../output.ts'

export async function ownerCreateCommand(
  name: string,
  options: Output & { databaseUrl?: string | undefined; dataDir?: string | undefined },
) {
  const url = options.databaseUrl ?? process.env.DATABASE_URL
  const db = url
    ? await createDb({ kind: 'postgres', url })
    : await createDb({ kind: 'pglite', dataDir: `${options.dataDir ?? '.bursar'}/db` })
  try {
    await migrate(db)
    const { organisation, token } = await db.transaction(async (tx) =>
      insertOrganisationWithToken(tx, name, { instanceAdmin: (await firstOrganisation(tx)) === undefined }),
    )
    print(
      options,
      { owner_id: organisation.id, org_id: organisation.id, token },
      () => `organisation ${organisation.id}\ntoken ${token}\nshown once: store it now (BURSAR_OWNER_TOKEN)`,
    )
  } finally {
    await db.close()
  }
}
