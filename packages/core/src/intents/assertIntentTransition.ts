/** Refuses a move the intent state machine does not allow: a bug in the caller, never the agent's doing. */
import type { IntentStatus } from '../api/index.ts'
import { BursarError } from '../errors/BursarError.ts'
import { isIntentTransition } from './intentTransitions.ts'

/**
 * Throws a BursarError (INTERNAL) naming both statuses when `from` → `to` is not in the transition table.
 *
 * @example
 * assertIntentTransition('queued', 'signed') // returns
 * assertIntentTransition('confirmed', 'queued') // throws: illegal intent transition confirmed → queued
 */
export function assertIntentTransition(from: IntentStatus | null, to: IntentStatus): void {
  if (isIntentTransition(from, to)) return
  throw new BursarError('INTERNAL', `illegal intent transition ${from ?? '(none)'} → ${to}`, {
    details: { from, to },
  })
}
