/**
 * An intent status written into a statement's text instead of passed as a parameter: a literal lets PostgreSQL's
 * generic plan of a named statement use the partial work index (`where status in ('queued', 'signed', …)`), which a
 * `status = $1` cannot prove it may. Only the known statuses pass, so nothing else reaches the text.
 */
import { type IntentStatus, intentStatuses } from '@bursar/core/api'
import { BursarError } from '@bursar/core/errors'

export function intentStatusLiteral(status: IntentStatus): string {
  if (!intentStatuses.includes(status)) {
    throw new BursarError('INTERNAL', 'unknown intent status', { details: { status: String(status) } })
  }
  return `'${status}'`
}
