/** Validation at the HTTP edge: zod issues become VALIDATION_FAILED with a JSON path for each problem. */
import { BursarError } from '@bursar/core/errors'
import type { z } from 'zod'

export function issuesOf(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({
    path: `$${issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('')}`,
    message: issue.message,
  }))
}

export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what = 'request body'): z.infer<S> {
  const result = schema.safeParse(input)
  if (!result.success) {
    throw new BursarError('VALIDATION_FAILED', `${what} is invalid`, {
      details: { issues: issuesOf(result.error) },
    })
  }
  return result.data
}
