/** bursar owner create: makes an owner and prints its token once. Talks to the database directly. */
import { createDb, insertOwner, migrate } from '@bursar/store'
import { CliError, type Output, print } from '../output.ts'

export async function ownerCommand(
  sub: string | undefined,
  args: string[],
  options: Output & { databaseUrl?: string | undefined; dataDir?: string | undefined },
) {
  if (sub !== 'create') throw new CliError('USAGE', 'usage: bursar owner create <name> [--database-url URL]')
  const url = options.databaseUrl ?? process.env.DATABASE_URL
  const db = url
    ? await createDb({ kind: 'postgres', url })
    : await createDb({ kind: 'pglite', dataDir: `${options.dataDir ?? '.bursar'}/db` })
  try {
    await migrate(db)
    const { owner, token } = await db.transaction((tx) => insertOwner(tx, args[0] ?? 'owner'))
    print(
      options,
      { owner_id: owner.id, token },
      () => `owner ${owner.id}\ntoken ${token}\nshown once: store it now (BURSAR_OWNER_TOKEN)`,
    )
  } finally {
    await db.close()
  }
}
