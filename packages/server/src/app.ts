/** The Fastify application: routes, error mapping, request ids, metrics. No listening, no workers. */
import { randomBytes } from 'node:crypto'
import { BursarError } from '@bursar/core/errors'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { ServerContext } from './context.ts'
import { errorHandler } from './errorHandler.ts'
import { registerRateLimits } from './http/rateLimit/registerRateLimits.ts'
import { registerRoutes } from './http/registerRoutes.ts'
import { rejectUnsafeText } from './rejectUnsafeText.ts'
import { registerReferencePage } from './routes/openapi.ts'
import { routeTable } from './routes/routeTable.ts'

export function buildApp(ctx: ServerContext): FastifyInstance {
  // Fastify adds its own request serializer unless the logger carries one: ours keeps query strings (and any
  // key pasted into one) out of the request log.
  const loggerInstance = ctx.logger as FastifyBaseLogger
  const app = Fastify({
    loggerInstance,
    bodyLimit: ctx.config.bodyLimitBytes,
    // Behind a proxy, the client's address (login throttling) and scheme come from its X-Forwarded-* headers.
    ...(ctx.config.trustProxy === undefined ? {} : { trustProxy: ctx.config.trustProxy }),
    genReqId: () => `req_${randomBytes(8).toString('hex')}`,
    // Plain request-id reuse from clients would let them forge correlation in our logs.
    requestIdHeader: false,
    // Routing errors (a URL that does not decode, a parameter too long) answer like every other error.
    frameworkErrors: (error, request, reply) => errorHandler(error, request, reply),
    // Errors of the HTTP parser, before there is a request: oversized headers or URL, malformed requests.
    clientErrorHandler: (error, socket) => {
      const code = (error as { code?: string }).code
      const status = code === 'HPE_HEADER_OVERFLOW' ? 431 : code === 'HPE_URI_TOO_LONG' ? 414 : 400
      const bursarCode =
        status === 431 ? 'HEADERS_TOO_LARGE' : status === 414 ? 'URI_TOO_LONG' : 'VALIDATION_FAILED'
      const body = JSON.stringify({
        error: {
          code: bursarCode,
          message:
            status === 431 ? 'the request headers (URL included) are too large' : 'the request is malformed',
          details: {},
          request_id: `req_${randomBytes(8).toString('hex')}`,
        },
      })
      if (socket.writable) {
        socket.end(
          `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 414 ? 'URI Too Long' : 'Bad Request'}\r\n` +
            `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        )
      } else {
        socket.destroy()
      }
    },
  })
  // JSON only: a JSON text sent as text/plain gets 415 rather than being read as a string.
  app.removeContentTypeParser('text/plain')
  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler((request, reply) =>
    errorHandler(
      new BursarError('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`),
      request,
      reply,
    ),
  )
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  registerRateLimits(app, ctx, routeTable)
  // After the body is parsed and before any handler: strings the database cannot hold are refused here, once.
  app.addHook('preValidation', async (request) => rejectUnsafeText(request))
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched'
    ctx.metrics.httpRequests.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    )
  })
  // Open event streams never go idle; end them before the server waits for its connections to drain.
  app.addHook('preClose', async () => ctx.auditTail.close())
  registerRoutes(app, ctx, routeTable)
  registerReferencePage(app)
  return app
}
