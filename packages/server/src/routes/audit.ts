/** /v1/audit: owners read the hash-chained audit log (paged by sequence number) to export or verify it. */
import { auditHeadSchema, auditPageSchema, auditQuerySchema, signedHeadSchema } from '@bursar/core/api'
import { listAudit, readAuditHead, readAuditStatus } from '@bursar/store'
import { defineRoute } from '../http/Route.ts'

export const auditRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/audit',
    summary: 'Audit log entries after a sequence number (filters: action, subject, actor)',
    access: 'viewer',
    query: auditQuerySchema,
    responses: { 200: auditPageSchema },
    async handler({ ctx, query }) {
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
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/audit/checkpoint',
    // The public key is derived from the master seed, so it is the key to trust; `bursar audit verify --checkpoint`
    // catches a chain cut back behind a copy kept outside the database.
    summary:
      'The signed head of the audit chain, with the public key to check it (keep copies outside Bursar)',
    access: 'viewer',
    responses: { 200: signedHeadSchema },
    handler: async ({ ctx }) => readAuditHead(ctx.db, ctx.keystore.auditPublicKey),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/audit/head',
    summary: 'Sequence number and hash of the newest sealed entry, and how many wait to be sealed',
    access: 'viewer',
    responses: { 200: auditHeadSchema },
    // Before any entry the head is seq 0 with the genesis hash; a database without the head row has no hash.
    handler: async ({ ctx }) => readAuditStatus(ctx.db),
  }),
]
