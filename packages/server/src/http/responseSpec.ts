import type { z } from 'zod'
import type { ResponseSpec } from './Route.ts'

/** A response's schema and, for anything but JSON, its media type. */
export function responseSpec(spec: ResponseSpec): { schema: z.ZodType; contentType?: string } {
  return 'contentType' in spec && 'schema' in spec
    ? { schema: spec.schema, contentType: spec.contentType }
    : { schema: spec as z.ZodType }
}
