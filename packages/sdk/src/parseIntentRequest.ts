/** Checks an intent with the server's own schema, so a typo fails before it costs a round trip. */
import { type IntentRequest, intentRequestSchema } from '@bursar/core/api'
import { BursarApiError } from './BursarApiError.ts'

/** @throws BursarApiError VALIDATION_FAILED, with every issue and its path */
export function parseIntentRequest(intent: IntentRequest): IntentRequest {
  const parsed = intentRequestSchema.safeParse(intent)
  if (parsed.success) return parsed.data
  throw new BursarApiError({
    code: 'VALIDATION_FAILED',
    message: 'intent is invalid',
    status: 400,
    details: {
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    },
  })
}
