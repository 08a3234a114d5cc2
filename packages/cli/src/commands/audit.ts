/**
 * bursar audit verify|checkpoint|key|export. Verification recomputes every link locally from the entries, checks the
 * signed head against the audit key (the server's, or one given with --public-key / inside --checkpoint), catches a
 * chain cut back behind a checkpoint kept outside the database, and policy documents edited in place.
 * --database-url reads PostgreSQL directly.
 */
import { readFileSync } from 'node:fs'
import {
  type AuditCheckpoint,
  createAuditVerifier,
  finishAuditVerification,
  type RedactedAuditEntry,
  type SignedHead,
  type StoredAuditEntry,
  type VerifyAuditChainReturnType,
} from '@bursar/core/audit'
import type { OwnerClient } from '@bursar/sdk'
import { createDb, policyEdit, policyMissing, recordPolicyHash, verifyAuditLog } from '@bursar/store'
import { type ConnectionOptions, ownerClient } from '../connection.ts'
import { CliError, type Output, print } from '../output.ts'

export type AuditOptions = ConnectionOptions & Output

export type AuditVerifyOptions = AuditOptions & {
  databaseUrl?: string | undefined
  checkpoint?: string | undefined
  publicKey?: string | undefined
}

/** The chain as the caller's organisation sees it: its own entries in full, other organisations' as links. */
async function* entriesFromApi(
  client: OwnerClient,
  after = 0,
): AsyncGenerator<StoredAuditEntry | RedactedAuditEntry> {
  for (;;) {
    const page = await client.listAudit({ after_seq: after, limit: 1000 })
    for (const { prev_hash, ...entry } of page.data) yield { ...entry, prevHash: prev_hash }
    if (page.next_after_seq === null) return
    after = page.next_after_seq
  }
}

function readCheckpoint(path: string | undefined): AuditCheckpoint | undefined {
  if (path === undefined) return undefined
  let value: Partial<AuditCheckpoint>
  try {
    // A checkpoint file may hold one JSON object, or JSON lines (the server's checkpoint file): the last one counts.
    const lines = readFileSync(path, 'utf8').trim().split('\n')
    value = JSON.parse(lines.length > 1 ? lines.at(-1)! : lines.join('\n'))
  } catch (error) {
    throw new CliError('USAGE', `cannot read the checkpoint ${path}: ${(error as Error).message}`)
  }
  if (
    typeof value.seq !== 'number' ||
    typeof value.hash !== 'string' ||
    typeof value.signed_at !== 'string' ||
    typeof value.public_key !== 'string' ||
    typeof value.signature !== 'string'
  ) {
    throw new CliError('USAGE', `${path} is not an audit checkpoint (bursar audit checkpoint writes one)`)
  }
  return value as AuditCheckpoint
}

/**
 * Verifies through the API, which cannot read one snapshot: the chain is checked up to a head read first (entries
 * after it are newer than its signature), and a policy version whose audit entry is not yet sealed waits for a later
 * head, a few times, before it counts as unrecorded.
 */
async function verifyThroughApi(
  options: AuditVerifyOptions,
  checkpoint: AuditCheckpoint | undefined,
): Promise<VerifyAuditChainReturnType> {
  const client = ownerClient(options)
  const readHead = (): Promise<SignedHead> => client.getAuditCheckpoint()
  let head = await readHead()
  // The server derives its key from the master seed: nobody with only database access can change it.
  const trustedKey = options.publicKey ?? head.public_key
  if (options.publicKey !== undefined && options.publicKey.toLowerCase() !== head.public_key.toLowerCase()) {
    return failed('head_signature_invalid', head.seq, { server_key: head.public_key })
  }
  const verifier = createAuditVerifier(checkpoint ? { checkpoint } : {})
  const recorded = new Map<string, { hash: string; seq: number; conflict?: true }>()
  const agents = new Set<string>()
  let verifiedTo = 0
  const verifyTo = async (): Promise<VerifyAuditChainReturnType> => {
    for await (const entry of entriesFromApi(client, verifiedTo)) {
      if (entry.seq > head.seq) break
      const broken = verifier.push(entry)
      if (broken) return broken
      verifiedTo = entry.seq
      // Another organisation's policies are its own to check: a redacted link carries none.
      if ('redacted' in entry) continue
      recordPolicyHash(recorded, entry)
      if ((entry.action === 'policy.set' || entry.action === 'policy.sealed') && entry.subject.id !== null) {
        agents.add(entry.subject.id)
      }
    }
    return finishAuditVerification(verifier, {
      head,
      trustedKey,
      ...(checkpoint ? { checkpoint } : {}),
    })
  }
  let result = await verifyTo()
  if (!result.ok) return result
  // Every policy version recorded so far must still be there; every version listed after that must hash to what its
  // entry records. An entry not yet sealed shows in a later head, so look at a few later heads before calling it
  // unrecorded; versions set after the listing are newer than this verification and not looked at.
  const recordedBefore = new Map(recorded)
  const readable = new Map<string, { hash: string; seq: number; conflict?: true }>()
  const listed: Array<{ agent_id: string; version: number; document: unknown }> = []
  for (const agent of agents) {
    let versions: Awaited<ReturnType<OwnerClient['listPolicyVersions']>>
    try {
      versions = await client.listPolicyVersions(agent)
    } catch {
      continue // another owner's agent, or deleted: its policies are not ours to read
    }
    for (const [key, entry] of recordedBefore) if (key.startsWith(`${agent}:`)) readable.set(key, entry)
    for (const version of versions.data) {
      listed.push({ agent_id: agent, version: version.version, document: version.document })
    }
  }
  const missing = policyMissing(
    readable,
    new Set(listed.map((policy) => `${policy.agent_id}:${policy.version}`)),
  )
  if (missing) return { ...missing, entries: result.entries }
  for (let round = 0; round < 10; round++) {
    if (listed.every((policy) => recorded.has(`${policy.agent_id}:${policy.version}`))) break
    await new Promise((resolve) => setTimeout(resolve, 300))
    head = await readHead()
    result = await verifyTo()
    if (!result.ok) return result
  }
  for (const policy of listed) {
    const edited = policyEdit(recorded, policy)
    if (edited) return { ...edited, entries: result.entries }
  }
  return result
}

function failed(
  reason: Extract<VerifyAuditChainReturnType, { ok: false }>['reason'],
  brokenAt: number,
  details: Record<string, unknown>,
): VerifyAuditChainReturnType {
  return { ok: false, entries: 0, brokenAt, reason, details }
}

export async function auditVerifyCommand(options: AuditVerifyOptions) {
  const checkpoint = readCheckpoint(options.checkpoint)
  let result: VerifyAuditChainReturnType
  if (options.databaseUrl) {
    const trustedKey = options.publicKey ?? checkpoint?.public_key
    if (trustedKey === undefined) {
      throw new CliError(
        'USAGE',
        'reading the database directly needs a key to trust: pass --public-key (bursar audit key prints it) or --checkpoint',
      )
    }
    const db = await createDb({ kind: 'postgres', url: options.databaseUrl })
    try {
      result = await verifyAuditLog(db, { trustedKey, ...(checkpoint ? { checkpoint } : {}) })
    } finally {
      await db.close()
    }
  } else {
    result = await verifyThroughApi(options, checkpoint)
  }
  print(options, result, () =>
    result.ok
      ? `audit chain intact: ${result.entries} entries, head ${result.head}${checkpoint ? `, checkpoint ${checkpoint.seq} found` : ''}`
      : `audit chain BROKEN at entry ${result.brokenAt} (${result.reason}); ${result.entries} entries before it verify${result.details ? `\n${JSON.stringify(result.details)}` : ''}`,
  )
  if (!result.ok)
    throw new CliError(
      'AUDIT_CHAIN_BROKEN',
      `audit chain broken at entry ${result.brokenAt} (${result.reason})`,
      2,
    )
}

export async function auditCheckpointCommand(options: AuditOptions) {
  const head = await ownerClient(options).getAuditCheckpoint()
  // Always JSON: this is the file an auditor keeps and gives back to `audit verify --checkpoint`.
  process.stdout.write(`${JSON.stringify(head)}\n`)
}

export async function auditKeyCommand(options: AuditOptions) {
  const head = await ownerClient(options).getAuditCheckpoint()
  print(options, { public_key: head.public_key }, () => head.public_key)
}

/** Always JSON lines, one entry each, oldest first. */
export async function auditExportCommand(options: AuditOptions) {
  for await (const entry of entriesFromApi(ownerClient(options)))
    process.stdout.write(`${JSON.stringify(entry)}\n`)
}
