/**
 * The OpenAPI 3.1 document, generated from the route table: every route with its parameters, body and responses,
 * converted from the same zod schemas that validate them. Nothing here is written by hand per route.
 */
import { errorBodySchema } from '@bursar/core/api'
import { errorCodes } from '@bursar/core/errors'
import { z } from 'zod'
import type { Route } from './Route.ts'
import { responseSpec } from './responseSpec.ts'

type JsonSchema = { properties?: Record<string, unknown>; required?: string[]; [key: string]: unknown }

// Requests are documented as clients write them (before defaults and coercion), responses as the server sends them.
const inputSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' }) as JsonSchema
const outputSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'output' }) as JsonSchema

/** `/v1/agents/:id` → `/v1/agents/{id}`. */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}')

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query' | 'header') {
  if (!schema) return []
  const json = inputSchema(schema)
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }))
}

function operation(route: Route) {
  const responses: Record<string, unknown> = {}
  for (const [status, spec] of Object.entries(route.responses)) {
    const { schema, contentType } = responseSpec(spec)
    responses[status] = {
      description: Number(status) < 300 ? 'Success' : 'See the body',
      content: { [contentType ?? 'application/json']: { schema: outputSchema(schema) } },
    }
  }
  responses.default = {
    description: 'Error: the code says what went wrong (see x-error-codes)',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  }
  return {
    operationId: `${route.method.toLowerCase()}${openApiPath(route.path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: route.summary,
    'x-bursar-auth': route.access,
    ...(route.access === 'none' ? { security: [] } : {}),
    parameters: [
      ...parameters(route.params, 'path'),
      ...parameters(route.query, 'query'),
      ...parameters(route.headers, 'header'),
    ],
    ...(route.body
      ? {
          requestBody: {
            // A POST without a body reads as {}: the body is optional when {} is a valid one (and the route lets the
            // schema read it).
            required: route.validateBody === false || !route.body.safeParse({}).success,
            content: { 'application/json': { schema: inputSchema(route.body) } },
          },
        }
      : {}),
    responses,
  }
}

export function buildOpenApiDocument(routes: readonly Route[]) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const route of routes) {
    const path = openApiPath(route.path)
    paths[path] ??= {}
    paths[path][route.method.toLowerCase()] = operation(route)
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Bursar API',
      version: '0.1.0',
      description:
        'Policy-guarded wallets for AI agents. Amounts are base-unit integers as decimal strings. `x-bursar-auth` on each operation says who may call it: none, operator (the operator token), agent (an agent API key), owner (an owner token) or any (agent or owner; each sees its own).',
    },
    components: {
      schemas: { Error: outputSchema(errorBodySchema) },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'Agent API key (bsr_…), owner token (bsr_owner_…), or the operator token (/readyz, /metrics)',
        },
      },
    },
    security: [{ bearer: [] }],
    paths,
    'x-error-codes': errorCodes,
  }
}
