/** bursar owner create: makes an owner and prints its token once. Talks to the database directly. */
import { createDb, insertOwner, migrate } from '@bursar/store'
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
    const { owner, token } = await db.transaction((tx) => insertOwner(tx, name))
    print(
      options,
      { owner_id: owner.id, token },
      () => `owner ${owner.id}\ntoken ${token}\nshown once: store it now (BURSAR_OWNER_TOKEN)`,
    )
  } finally {
    await db.close()
  }
}
