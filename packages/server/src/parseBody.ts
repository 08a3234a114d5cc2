/** Validation at the HTTP edge: zod issues become VALIDATION_FAILED with a JSON path for each problem. */
import { BursarError } from '@bursar/core/errors'
import type { z } from 'zod'

const toPath = (parts: readonly PropertyKey[]) =>
  `$${parts.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('')}`

export function issuesOf(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.flatMap((issue) =>
    // An unknown field is reported where it is, one issue per field, so a client can point at the typo.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: toPath([...issue.path, key]), message: `unknown field "${key}"` }))
      : [{ path: toPath(issue.path), message: issue.message }],
  )
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
