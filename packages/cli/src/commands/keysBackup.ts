/** bursar keys export-backup: prints the master mnemonic, only after an explicit confirmation. */
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline/promises'
import { openKeystore, type SealedSeed } from '@bursar/keys/keystore'
import { createDb, getMasterSeed } from '@bursar/store'
import { CliError } from '../output.ts'

export async function keysExportBackupCommand(options: {
  databaseUrl?: string | undefined
  dataDir?: string | undefined
  yes?: boolean | undefined
}) {
  const url = options.databaseUrl ?? process.env.DATABASE_URL
  // The dev stack's key file only stands in for the dev stack's own database, never for a server's.
  const masterKey =
    process.env.BURSAR_MASTER_KEY ?? (url ? undefined : readDevMasterKey(options.dataDir ?? '.bursar'))
  if (!masterKey) throw new CliError('MASTER_KEY_INVALID', 'BURSAR_MASTER_KEY is not set')
  if (!options.yes) {
    if (!process.stdin.isTTY)
      throw new CliError(
        'CONFIRMATION_REQUIRED',
        'refusing to print the backup without a terminal; pass --yes to confirm',
      )
    const rl = createInterface({ input: process.stdin, output: process.stderr })
    const answer = await rl.question(
      'This prints the master mnemonic: anyone who sees it controls every agent wallet.\nType "export" to continue: ',
    )
    rl.close()
    if (answer.trim() !== 'export') throw new CliError('CANCELLED', 'not exported')
  }
  const db = url
    ? await createDb({ kind: 'postgres', url })
    : await createDb({ kind: 'pglite', dataDir: `${options.dataDir ?? '.bursar'}/db` })
  try {
    // Read, never create: a backup of a seed made on the spot would back up nothing.
    const row = await getMasterSeed(db)
    if (!row) throw new CliError('NOT_FOUND', 'this database holds no master seed: wrong DATABASE_URL?')
    const keystore = await openKeystore(row.sealed as SealedSeed, masterKey)
    try {
      process.stdout.write(`${keystore.exportMnemonic()}\n`)
    } finally {
      keystore.close()
    }
  } finally {
    await db.close()
  }
}

function readDevMasterKey(dataDir: string): string | undefined {
  try {
    return readFileSync(`${dataDir}/master-key`, 'utf8').trim()
  } catch {
    return undefined
  }
}
