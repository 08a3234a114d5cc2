/** Checks the event type patterns of a webhook endpoint before they are stored. */
import { BursarError } from '@bursar/core/errors'

// An exact type ('approval.requested'), a family ('intent.*'), or '*' for every event (webhookEventMatches).
const pattern = /^(?:\*|[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*(?:\.\*)?)$/
const maxPatterns = 50
const maxPatternLength = 64

/**
 * At least one pattern, each well-formed. Returns them without repeats, in the order given.
 *
 * @example assertWebhookEventTypes(['intent.*', 'approval.requested'])
 * @throws BursarError VALIDATION_FAILED
 */
export function assertWebhookEventTypes(eventTypes: readonly string[]): string[] {
  const unique = [...new Set(eventTypes)]
  if (unique.length === 0 || unique.length > maxPatterns) {
    throw new BursarError('VALIDATION_FAILED', `event_types must name 1 to ${maxPatterns} event types`)
  }
  const malformed = unique.filter((type) => type.length > maxPatternLength || !pattern.test(type))
  if (malformed.length > 0) {
    throw new BursarError(
      'VALIDATION_FAILED',
      "event_types holds a malformed pattern: use an event type ('intent.confirmed'), a family ('intent.*') or '*'",
      { details: { event_types: malformed.map((type) => type.slice(0, maxPatternLength)) } },
    )
  }
  return unique
}
