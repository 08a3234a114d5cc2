/** /v1/audit: owners read the hash-chained audit log (paged by sequence number) to export or verify it. */
import { countUnsealedAudit, listAudit, readAuditHead } from '@bursar/store'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { requireOwner } from '../auth/authenticate.ts'
import type { ServerContext } from '../context.ts'
import { parseWith } from '../parseBody.ts'

const auditQuery = z.strictObject({
  after_seq: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  action: z.string().max(64).optional(),
  subject_type: z.string().max(32).optional(),
  subject_id: z.string().max(64).optional(),
  actor_id: z.string().max(64).optional(),
})

export function registerAuditRoutes(app: FastifyInstance, ctx: ServerContext) {
  app.get('/v1/audit', async (request) => {
    await requireOwner(ctx, request)
    const query = parseWith(auditQuery, request.query, 'query')
    // The chain is one instance-wide log: entries are not filtered by owner, so every link can be verified.
    const entries = await listAudit(ctx.db, {
      limit: query.limit,
      ...(query.after_seq === undefined ? {} : { afterSeq: query.after_seq }),
      ...(query.action === undefined ? {} : { action: query.action }),
      ...(query.subject_type === undefined ? {} : { subjectType: query.subject_type }),
      ...(query.subject_id === undefined ? {} : { subjectId: query.subject_id }),
      ...(query.actor_id === undefined ? {} : { actorId: query.actor_id }),
    })
    const last = entries[entries.length - 1]
    return {
      data: entries.map(({ prevHash, ...entry }) => ({ ...entry, prev_hash: prevHash })),
      next_after_seq: entries.length === query.limit && last ? last.seq : null,
    }
  })

  // The signed head: keep copies outside the database; `bursar audit verify --checkpoint` catches a chain cut back
  // behind one. The public key is derived from the master seed, so it is the key to trust.
  app.get('/v1/audit/checkpoint', async (request) => {
    await requireOwner(ctx, request)
    return readAuditHead(ctx.db, ctx.keystore.auditPublicKey)
  })

  app.get('/v1/audit/head', async (request) => {
    await requireOwner(ctx, request)
    const [head] = await ctx.db.query<{ seq: number; hash: string }>(
      'select seq, hash from audit_head where id = 1',
    )
    return { seq: head?.seq ?? 0, hash: head?.hash, unsealed: await countUnsealedAudit(ctx.db) }
  })
}
