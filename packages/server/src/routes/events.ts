/**
 * GET /v1/events: a live Server-Sent Events stream of the audit log (breaker trips, intent transitions, policy and
 * key changes), for dashboards and alerting. Resumable with Last-Event-ID (the audit sequence number). Every stream
 * reads the process's one audit tail; none polls the database itself.
 */
import { eventsHeadersSchema, eventsQuerySchema } from '@bursar/core/api'
import { listTaggedAudit } from '@bursar/store'
import { z } from 'zod'
import { isVisibleTo } from '../events/auditView.ts'
import { defineRoute } from '../http/Route.ts'

// What goes into an `event:` or `id:` line must not break the framing: one line, no field separators.
const eventName = /^[a-z0-9_.]{1,64}$/
const idleWaitMs = 15_000
const retryMs = 250
const pageSize = 500

export const eventRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/events',
    summary: 'Live audit events (Server-Sent Events; ?actions=breaker.,intent.failed; Last-Event-ID resumes)',
    access: 'viewer',
    query: eventsQuerySchema,
    headers: eventsHeadersSchema,
    responses: { 200: { schema: z.string(), contentType: 'text/event-stream' } },
    async handler({ ctx, principal, query, headers, request, reply }) {
      const resume = headers['last-event-id']
      // Without a position, start at the present: only what happens from now on.
      let afterSeq = resume !== undefined ? Number(resume) : (query.after_seq ?? (await ctx.auditTail.head()))
      const prefixes = query.actions?.split(',').filter((prefix) => prefix.length > 0) ?? []
      reply.hijack()
      const raw = reply.raw
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-request-id': request.id,
      })
      raw.write(': bursar audit stream\n\n')
      let open = true
      const stop = () => {
        open = false
      }
      request.raw.on('close', stop)
      // A client that stops reading is waited for, never buffered for: memory stays at one socket buffer.
      const send = async (chunk: string) => {
        if (raw.write(chunk) || !open) return
        await new Promise<void>((resolve) => {
          const done = () => {
            raw.off('drain', done)
            raw.off('close', done)
            resolve()
          }
          raw.on('drain', done)
          raw.on('close', done)
        })
      }
      try {
        while (open && !ctx.auditTail.closed) {
          let entries: Awaited<ReturnType<typeof listTaggedAudit>>
          try {
            // Without follow, what is in the database now, page by page; the tail's memory may lag behind it.
            entries =
              query.follow === 'false'
                ? await listTaggedAudit(ctx.db, { afterSeq, limit: pageSize })
                : await ctx.auditTail.read(afterSeq, idleWaitMs)
          } catch (error) {
            request.log.warn({ err: error }, 'event stream: reading the audit log failed; retrying')
            if (query.follow === 'false') break
            await new Promise((resolve) => setTimeout(resolve, retryMs))
            continue
          }
          if (!open) break
          for (const { prevHash, orgId, ...entry } of entries) {
            afterSeq = entry.seq
            // The stream is the caller's organisation's (and the global halt's); other organisations' events are skipped.
            if (!isVisibleTo({ ...entry, prevHash, orgId }, principal.orgId)) continue
            if (prefixes.length > 0 && !prefixes.some((prefix) => entry.action.startsWith(prefix))) continue
            if (!Number.isSafeInteger(entry.seq) || !eventName.test(entry.action)) {
              request.log.warn(
                { seq: entry.seq },
                'event stream: an audit entry has an unsendable name; skipped',
              )
              continue
            }
            await send(
              `id: ${entry.seq}\nevent: ${entry.action}\ndata: ${JSON.stringify({ ...entry, prev_hash: prevHash })}\n\n`,
            )
            if (!open) break
          }
          if (query.follow === 'false' && entries.length < pageSize) break
          if (entries.length === 0) await send(': keep-alive\n\n')
        }
      } finally {
        raw.end()
      }
    },
  }),
]
