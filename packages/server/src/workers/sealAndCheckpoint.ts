/**
 * The audit sealer's step: chain and sign what was written, and now and then publish the signed head outside the
 * database (the log, and a file an auditor can keep), so a chain cut back to an older head can be caught later.
 */
import { appendFileSync } from 'node:fs'
import type { AuditCheckpoint } from '@bursar/core/audit'
import { readAuditHead, sealAudit } from '@bursar/store'
import type { ServerContext } from '../context.ts'

const checkpointEveryMs = 60_000
const checkpointEveryEntries = 1_000

export type AuditSealer = { step(): Promise<number>; publish(): Promise<AuditCheckpoint | undefined> }

export function createAuditSealer(ctx: ServerContext): AuditSealer {
  const signer = {
    publicKey: ctx.keystore.auditPublicKey,
    sign: (message: string) => ctx.keystore.signAudit(message),
  }
  let lastAt = 0
  let lastSeq = -1
  const publish = async (): Promise<AuditCheckpoint | undefined> => {
    const head = await readAuditHead(ctx.db, ctx.keystore.auditPublicKey)
    if (head.signature === null || head.seq === lastSeq) return undefined
    const checkpoint: AuditCheckpoint = { ...head, signature: head.signature }
    lastAt = Date.now()
    lastSeq = head.seq
    ctx.logger.info({ audit_checkpoint: checkpoint }, 'audit checkpoint')
    if (ctx.config.auditCheckpointFile)
      appendFileSync(ctx.config.auditCheckpointFile, `${JSON.stringify(checkpoint)}\n`)
    return checkpoint
  }
  return {
    async step() {
      const sealed = await sealAudit(ctx.db, signer)
      if (sealed > 0 && (Date.now() - lastAt >= checkpointEveryMs || sealed >= checkpointEveryEntries))
        await publish()
      return sealed
    },
    publish,
  }
}
