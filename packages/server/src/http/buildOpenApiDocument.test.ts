import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { routeTable } from '../routes/routeTable.ts'
import { buildOpenApiDocument, openApiPath } from './buildOpenApiDocument.ts'
import { defineRoute } from './Route.ts'
import { responseSpec } from './responseSpec.ts'

type Operation = {
  'x-bursar-auth': string
  parameters: Array<{ name: string; in: string; required: boolean }>
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> }
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>
}
const operationsOf = (document: ReturnType<typeof buildOpenApiDocument>) =>
  document.paths as unknown as Record<string, Record<string, Operation>>

// A JSON schema that accepts anything documents nothing.
const saysSomething = (schema: Record<string, unknown>) =>
  ['type', '$ref', 'anyOf', 'oneOf', 'allOf', 'const', 'enum'].some((key) => key in schema)

describe('the OpenAPI document', () => {
  const document = buildOpenApiDocument(routeTable)
  const paths = operationsOf(document)

  test('every route of the table declares at least one response, each with a schema', () => {
    const missing = routeTable.filter(
      (route) =>
        Object.keys(route.responses).length === 0 ||
        Object.values(route.responses).some((spec) => !(responseSpec(spec).schema instanceof z.ZodType)),
    )
    expect(missing.map((route) => `${route.method} ${route.path}`)).toEqual([])
  })

  test('lists every route of the table, and nothing else', () => {
    const listed = Object.entries(paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    )
    expect(listed.sort()).toEqual(routeTable.map((r) => `${r.method} ${openApiPath(r.path)}`).sort())
  })

  for (const route of routeTable) {
    test(`${route.method} ${route.path}: parameters, body and responses come from its schemas`, () => {
      const operation = paths[openApiPath(route.path)]?.[route.method.toLowerCase()]
      expect(operation).toBeDefined()
      expect(operation!['x-bursar-auth']).toBe(route.access)
      const pathParameters = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1])
      expect(operation!.parameters.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(pathParameters)
      expect(operation!.requestBody !== undefined).toBe(route.body !== undefined)
      if (operation!.requestBody)
        expect(saysSomething(operation!.requestBody.content['application/json']!.schema)).toBe(true)
      for (const [status, spec] of Object.entries(route.responses)) {
        const content = operation!.responses[status]?.content
        expect(content, `response ${status}`).toBeDefined()
        const { contentType } = responseSpec(spec)
        const schema = content![contentType ?? 'application/json']!.schema
        if (contentType === undefined) expect(saysSomething(schema), `response ${status} schema`).toBe(true)
      }
      expect(operation!.responses.default).toBeDefined()
    })
  }

  test('path parameters are declared once per route: a route without a params schema fails the check above', () => {
    const bare = defineRoute({
      method: 'GET',
      path: '/v1/things/:id',
      summary: 'no params schema',
      access: 'viewer',
      responses: { 200: z.object({ id: z.string() }) },
      handler: async () => ({ id: 'x' }),
    })
    const operation = operationsOf(buildOpenApiDocument([bare]))['/v1/things/{id}']!.get!
    expect(operation.parameters).toEqual([])
  })

  test('query and header parameters carry their names and whether they are required', () => {
    const listIntents = paths['/v1/intents']!.get!
    expect(listIntents.parameters.some((p) => p.in === 'query' && p.name === 'status')).toBe(true)
    const submit = paths['/v1/intents']!.post!
    expect(submit.parameters).toContainEqual(
      expect.objectContaining({ name: 'idempotency-key', in: 'header', required: false }),
    )
  })
})
