/**
 * GET /v1/events: a live Server-Sent Events stream of the audit log (breaker trips, intent transitions, policy and
 * key changes), for dashboards and alerting. Resumable with Last-Event-ID (the audit sequence number).
 */
import { listAudit } from '@bursar/store'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { requireOwner } from '../auth/authenticate.ts'
import type { ServerContext } from '../context.ts'
import { parseWith } from '../parseBody.ts'

const lastEventIdSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,15})$/, 'must be an event id this stream sent (a sequence number)')
  .refine(
    (value) => !/^[0-9]+$/.test(value) || Number(value) <= Number.MAX_SAFE_INTEGER,
    'is larger than any event id',
  )

const eventsQuery = z.strictObject({
  after_seq: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  /** Comma-separated action prefixes, e.g. "breaker.,intent.failed". */
  actions: z.string().max(500).optional(),
  /** false: send what is there and end the response (for scripts and curl). */
  follow: z.enum(['true', 'false']).default('true'),
})

const pollMs = 250

export function registerEventRoutes(app: FastifyInstance, ctx: ServerContext) {
  // Open streams never go idle; end them before the server waits for its connections to drain.
  const streams = new Set<() => void>()
  app.addHook('preClose', async () => {
    for (const stop of streams) stop()
  })

  app.get('/v1/events', async (request, reply) => {
    await requireOwner(ctx, request)
    const query = parseWith(eventsQuery, request.query, 'query')
    const header = request.headers['last-event-id']
    let afterSeq =
      header === undefined
        ? query.after_seq
        : Number(parseWith(lastEventIdSchema, header, 'Last-Event-ID header'))
    if (afterSeq === undefined) {
      // Without a position, start at the present: only what happens from now on.
      const [head] = await ctx.db.query<{ seq: number }>('select seq from audit_head where id = 1')
      afterSeq = head?.seq ?? 0
    }
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
    streams.add(stop)
    request.raw.on('close', stop)
    let idle = 0
    while (open) {
      try {
        const entries = await listAudit(ctx.db, { afterSeq, limit: 500 })
        for (const { prevHash, ...entry } of entries) {
          afterSeq = entry.seq
          if (prefixes.length > 0 && !prefixes.some((prefix) => entry.action.startsWith(prefix))) continue
          raw.write(
            `id: ${entry.seq}\nevent: ${entry.action}\ndata: ${JSON.stringify({ ...entry, prev_hash: prevHash })}\n\n`,
          )
        }
        if (query.follow === 'false' && entries.length < 500) break
        if (entries.length === 0 && ++idle % 60 === 0) raw.write(': keep-alive\n\n')
      } catch (error) {
        request.log.warn({ err: error }, 'event stream: reading the audit log failed; retrying')
        if (query.follow === 'false') break
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs))
    }
    streams.delete(stop)
    raw.end()
  })
}
