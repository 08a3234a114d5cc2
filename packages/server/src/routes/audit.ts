/** /v1/audit: members read the hash-chained audit log (paged by sequence number) to export or verify it. */
import { auditHeadSchema, auditPageSchema, auditQuerySchema, signedHeadSchema } from '@bursar/core/api'
import { listTaggedAudit, readAuditHead, readAuditStatus } from '@bursar/store'
import { auditView } from '../events/auditView.ts'
import { defineRoute } from '../http/Route.ts'

export const auditRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/audit',
    summary: 'Audit log entries after a sequence number (filters: action, subject, actor)',
    access: 'viewer',
    query: auditQuerySchema,
    responses: { 200: auditPageSchema },
    async handler({ ctx, principal, query }) {
      // One chain for the instance: without a filter the page holds every link, other organisations' entries as
      // hashes only, so an organisation can verify the whole chain; a filter reads only what it may see.
      const filtered =
        query.action !== undefined ||
        query.subject_type !== undefined ||
        query.subject_id !== undefined ||
        query.actor_id !== undefined
      const entries = await listTaggedAudit(ctx.db, {
        limit: query.limit,
        ...(filtered ? { visibleTo: principal.orgId } : {}),
        ...(query.after_seq === undefined ? {} : { afterSeq: query.after_seq }),
        ...(query.action === undefined ? {} : { action: query.action }),
        ...(query.subject_type === undefined ? {} : { subjectType: query.subject_type }),
        ...(query.subject_id === undefined ? {} : { subjectId: query.subject_id }),
        ...(query.actor_id === undefined ? {} : { actorId: query.actor_id }),
      })
      const last = entries[entries.length - 1]
      return {
        data: entries.map((entry) => auditView(entry, principal.orgId)),
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
