/**
 * GET /v1/events: a live Server-Sent Events stream of the audit log (breaker trips, intent transitions, policy and
 * key changes), for dashboards and alerting. Resumable with Last-Event-ID (the audit sequence number). Every stream
 * reads the process's one audit tail; none polls the database itself.
 */
import { eventsHeadersSchema, eventsQuerySchema } from '@bursar/core/api'
import { listAudit } from '@bursar/store'
import { z } from 'zod'
import { defineRoute } from '../http/Route.ts'

// What goes into an `event:` or `id:` line must not break the framing: one line, no field separators.
const eventName = /^[a-z0-9_.]{1,64}$/
const idleWaitMs = 15_000

export const eventRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/events',
    summary: 'Live audit events (Server-Sent Events; ?actions=breaker.,intent.failed; Last-Event-ID resumes)',
    access: 'owner',
    query: eventsQuerySchema,
    headers: eventsHeadersSchema,
    responses: { 200: { schema: z.string(), contentType: 'text/event-stream' } },
    async handler({ ctx, query, headers, request, reply }) {
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
      try {
        while (open && !ctx.auditTail.closed) {
          // Without follow, what is in the database now, page by page; the tail's memory may lag behind it.
          const entries =
            query.follow === 'false'
              ? await listAudit(ctx.db, { afterSeq, limit: 500 })
              : await ctx.auditTail.read(afterSeq, idleWaitMs)
          if (!open) break
          for (const { prevHash, ...entry } of entries) {
            afterSeq = entry.seq
            if (prefixes.length > 0 && !prefixes.some((prefix) => entry.action.startsWith(prefix))) continue
            if (!Number.isSafeInteger(entry.seq) || !eventName.test(entry.action)) {
              request.log.warn(
                { seq: entry.seq },
                'event stream: an audit entry has an unsendable name; skipped',
              )
              continue
            }
            raw.write(
              `id: ${entry.seq}\nevent: ${entry.action}\ndata: ${JSON.stringify({ ...entry, prev_hash: prevHash })}\n\n`,
            )
          }
          if (query.follow === 'false' && entries.length < 500) break
          if (entries.length === 0) raw.write(': keep-alive\n\n')
        }
      } catch (error) {
        request.log.warn({ err: error }, 'event stream: reading the audit log failed; closing the stream')
      } finally {
        raw.end()
      }
    },
  }),
]
