/**
 * Registers a route table with Fastify: who may call (checked first, so an anonymous caller learns nothing about
 * the input), then path, query, headers and body, each validated by its schema into VALIDATION_FAILED with a JSON
 * path per problem, then the handler. With `validateResponses` (tests) every JSON answer is checked against the
 * schema of its status too, so the documented shapes cannot drift from what is sent.
 */
import { BursarError } from '@bursar/core/errors'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { Principal } from '../auth/authenticate.ts'
import { authorizeRoute } from '../auth/authorizeRoute.ts'
import type { ServerContext } from '../context.ts'
import { issuesOf, parseWith } from '../parseBody.ts'
import { isResponded, type Route } from './Route.ts'
import { responseSpec } from './responseSpec.ts'

// Who called, settled in onRequest: before Fastify reads the body, so an anonymous caller cannot make the server
// parse (or answer about) a payload it may not send.
const principals = new WeakMap<FastifyRequest, Principal | null>()

export function registerRoutes(app: FastifyInstance, ctx: ServerContext, routes: readonly Route[]): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.path,
      onRequest: async (request) => {
        principals.set(request, await authorizeRoute(ctx, route, request))
      },
      handler: (request, reply) => handle(ctx, route, request, reply),
    })
  }
}

async function handle(ctx: ServerContext, route: Route, request: FastifyRequest, reply: FastifyReply) {
  const principal = principals.get(request) ?? null
  const params = route.params ? parseWith(route.params, request.params, 'path') : undefined
  const query = route.query ? parseWith(route.query, request.query, 'query') : undefined
  const headers = route.headers ? parseHeaders(route.headers, request.headers) : undefined
  // A POST without a body is an empty object: optional fields keep their defaults, required ones are named.
  const body =
    route.body && route.validateBody !== false ? parseWith(route.body, request.body ?? {}) : undefined
  const result = await route.handler({
    ctx,
    principal,
    params,
    query,
    body,
    headers,
    request,
    reply,
  } as never)
  if (reply.sent) return reply
  const [first] = Object.keys(route.responses)
  const status = isResponded(result) ? result.status : Number(first)
  const payload = isResponded(result) ? result.body : result
  if (isResponded(result) && result.headers) reply.headers(result.headers)
  const spec = route.responses[status]
  if (spec === undefined) {
    throw new BursarError(
      'INTERNAL',
      `${route.method} ${route.path} answered ${status}, which it does not declare`,
    )
  }
  const { schema, contentType } = responseSpec(spec)
  if (contentType !== undefined) reply.type(contentType)
  else if (ctx.config.validateResponses) checkResponse(ctx, route, status, schema, payload)
  return reply.status(status).send(payload)
}

/** Like the body, but the message names the header as clients write it: "Idempotency-Key header is invalid". */
function parseHeaders(schema: z.ZodType, input: unknown): unknown {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const names = [...new Set(result.error.issues.map((issue) => String(issue.path[0] ?? '')))].map((name) =>
    name.replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => dash + letter.toUpperCase()),
  )
  throw new BursarError('VALIDATION_FAILED', `${names.join(', ')} header is invalid`, {
    details: { issues: issuesOf(result.error) },
  })
}

function checkResponse(
  ctx: ServerContext,
  route: Route,
  status: number,
  schema: z.ZodType,
  payload: unknown,
) {
  // What goes over the wire: dates become strings, undefined fields disappear.
  const parsed = schema.safeParse(JSON.parse(JSON.stringify(payload ?? null)))
  if (parsed.success) return
  const issues = issuesOf(parsed.error)
  ctx.logger.error(
    { route: `${route.method} ${route.path}`, status, issues },
    'response does not match its schema',
  )
  throw new BursarError(
    'INTERNAL',
    `${route.method} ${route.path} ${status}: the response does not match its schema`,
    {
      details: { issues },
    },
  )
}
