/**
 * /openapi.json (generated from the route table) and /docs, an API reference page (Scalar, served from the
 * installed package: nothing is loaded from the internet).
 */
import scalar from '@scalar/fastify-api-reference'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { buildOpenApiDocument } from '../http/buildOpenApiDocument.ts'
import { defineRoute, type Route } from '../http/Route.ts'

/** Where the reference page lives; the plugin registers its HTML and script under it (they carry no data). */
export const docsPrefix = '/docs'

/** The document route, describing `routes` and itself. */
export function openApiRoute(routes: readonly Route[]): Route {
  let document: ReturnType<typeof buildOpenApiDocument> | undefined
  const route = defineRoute({
    method: 'GET',
    path: '/openapi.json',
    summary: 'This document (OpenAPI 3.1)',
    access: 'none',
    responses: {
      200: z.looseObject({ openapi: z.literal('3.1.0'), paths: z.record(z.string(), z.unknown()) }),
    },
    async handler() {
      document ??= buildOpenApiDocument([...routes, route])
      return document
    },
  })
  return route
}

export function registerReferencePage(app: FastifyInstance) {
  void app.register(scalar, {
    routePrefix: docsPrefix,
    // A source URL (relative, so it works behind a path prefix) rather than content: the plugin then adds no copy
    // of the document under /docs. No fonts from a CDN, no toolbar that uploads the document to share it.
    configuration: {
      sources: [{ url: '../openapi.json' }],
      withDefaultFonts: false,
      hideClientButton: true,
      showDeveloperTools: 'never',
    },
    logLevel: 'warn',
  })
}
