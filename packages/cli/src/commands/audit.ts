/**
 * bursar audit verify|export. Verification recomputes every link locally from the entries, so it does not
 * have to trust the server that serves them; --database-url reads PostgreSQL directly.
 */
import {
  createAuditVerifier,
  type StoredAuditEntry,
  type VerifyAuditChainReturnType,
} from '@bursar/core/audit'
import { createDb, verifyAuditLog } from '@bursar/store'
import { type ConnectionOptions, ownerTransport, request } from '../connection.ts'
import { CliError, type Output, print } from '../output.ts'

type ApiEntry = Omit<StoredAuditEntry, 'prevHash'> & { prev_hash: string }

async function* entriesFromApi(options: ConnectionOptions): AsyncGenerator<StoredAuditEntry> {
  const transport = ownerTransport(options)
  let after = 0
  for (;;) {
    const page = await request<{ data: ApiEntry[]; next_after_seq: number | null }>(
      transport,
      'GET',
      'v1/audit',
      {
        query: { after_seq: after, limit: 1000 },
      },
    )
    for (const { prev_hash, ...entry } of page.data) yield { ...entry, prevHash: prev_hash }
    if (page.next_after_seq === null) return
    after = page.next_after_seq
  }
}

export async function auditCommand(
  sub: string | undefined,
  options: ConnectionOptions & Output & { databaseUrl?: string | undefined; format?: string | undefined },
) {
  switch (sub) {
    case 'verify': {
      let result: VerifyAuditChainReturnType
      if (options.databaseUrl) {
        const db = await createDb({ kind: 'postgres', url: options.databaseUrl })
        try {
          result = await verifyAuditLog(db)
        } finally {
          await db.close()
        }
      } else {
        const verifier = createAuditVerifier()
        let broken: VerifyAuditChainReturnType | undefined
        for await (const entry of entriesFromApi(options)) {
          broken = verifier.push(entry)
          if (broken) break
        }
        result = broken ?? verifier.result()
      }
      print(options, result, () =>
        result.ok
          ? `audit chain intact: ${result.entries} entries, head ${result.head}`
          : `audit chain BROKEN at entry ${result.brokenAt} (${result.reason}); ${result.entries} entries before it verify`,
      )
      if (!result.ok)
        throw new CliError('AUDIT_CHAIN_BROKEN', `audit chain broken at entry ${result.brokenAt}`, 2)
      return
    }
    case 'export': {
      if ((options.format ?? 'jsonl') !== 'jsonl')
        throw new CliError('USAGE', 'only --format jsonl is supported')
      for await (const entry of entriesFromApi(options)) process.stdout.write(`${JSON.stringify(entry)}\n`)
      return
    }
    default:
      throw new CliError('USAGE', 'usage: bursar audit verify [--database-url URL] | export --format jsonl')
  }
}
