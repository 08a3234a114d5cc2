import { describe, expect, test } from 'vitest'
import { type IntentStatus, intentStatuses } from '../api/index.ts'
import { isBursarError } from '../errors/BursarError.ts'
import { assertIntentTransition } from './assertIntentTransition.ts'
import { intentInitialStatus, intentTransitions, isIntentTransition } from './intentTransitions.ts'

// Every move the server makes today (intake's events, the executor, the confirmer, cancellation, failures).
const used: Array<[IntentStatus | null, IntentStatus]> = [
  [null, 'received'],
  ['received', 'rejected'],
  ['received', 'pending_approval'],
  ['received', 'approved'],
  ['approved', 'queued'],
  ['pending_approval', 'approved'],
  ['pending_approval', 'denied'],
  ['pending_approval', 'expired'],
  ['approved', 'failed'],
  ['pending_approval', 'cancelled'],
  ['approved', 'cancelled'],
  ['queued', 'cancelled'],
  ['queued', 'signed'],
  ['queued', 'failed'],
  ['signed', 'broadcast'],
  ['signed', 'failed'],
  ['broadcast', 'confirmed'],
  ['broadcast', 'failed'],
  ['signed', 'in_doubt'],
  ['broadcast', 'in_doubt'],
  ['broadcast', 'cancelled'],
  ['in_doubt', 'broadcast'],
  ['in_doubt', 'confirmed'],
  ['in_doubt', 'failed'],
  ['in_doubt', 'cancelled'],
  ['confirmed', 'broadcast'],
  ['failed', 'broadcast'],
  ['cancelled', 'broadcast'],
]

describe('intent transitions', () => {
  test('the table has a row for every status and names only known statuses', () => {
    expect(Object.keys(intentTransitions).sort()).toEqual([...intentStatuses].sort())
    for (const targets of Object.values(intentTransitions)) {
      for (const to of targets) expect(intentStatuses).toContain(to)
    }
  })

  test('allows exactly the lifecycle: every edge the server takes', () => {
    const key = ([from, to]: [IntentStatus | null, IntentStatus]) => `${from ?? '(none)'} → ${to}`
    const allowed: string[] = []
    for (const from of [null, ...intentStatuses]) {
      for (const to of intentStatuses) if (isIntentTransition(from, to)) allowed.push(key([from, to]))
    }
    expect(allowed.sort()).toEqual(used.map(key).sort())
  })

  test.each(used)('allows %s → %s', (from, to) => {
    expect(isIntentTransition(from, to)).toBe(true)
    expect(() => assertIntentTransition(from, to)).not.toThrow()
  })

  test('an intent is created received, and nothing moves back to received', () => {
    for (const to of intentStatuses) expect(isIntentTransition(null, to)).toBe(to === intentInitialStatus)
    for (const from of intentStatuses) expect(isIntentTransition(from, 'received')).toBe(false)
  })

  test('final statuses have no way out', () => {
    for (const from of ['rejected', 'denied', 'expired', 'replaced'] as const) {
      for (const to of intentStatuses) expect(isIntentTransition(from, to)).toBe(false)
    }
    // Failed and cancelled lead back only to broadcast: a reorg took out the mined transaction that settled them.
    expect(intentTransitions.failed).toEqual(['broadcast'])
    expect(intentTransitions.cancelled).toEqual(['broadcast'])
  })

  test('nothing signed or later goes back to waiting; only a mined cancellation cancels what left', () => {
    for (const from of ['signed', 'broadcast', 'in_doubt', 'confirmed'] as const) {
      for (const to of ['pending_approval', 'approved', 'queued'] as const) {
        expect(isIntentTransition(from, to)).toBe(false)
      }
    }
    // A signed transaction may be out already (a process died after sending): it is never cancelled in place.
    expect(isIntentTransition('signed', 'cancelled')).toBe(false)
  })

  test('confirmed leads only back to broadcast (a reorg), never to failed or cancelled', () => {
    expect(intentTransitions.confirmed).toEqual(['broadcast'])
  })

  test('error: an illegal transition throws INTERNAL naming both statuses', () => {
    let caught: unknown
    try {
      assertIntentTransition('confirmed', 'queued')
    } catch (error) {
      caught = error
    }
    expect(isBursarError(caught) && caught.code).toBe('INTERNAL')
    expect((caught as Error).message).toBe('illegal intent transition confirmed → queued')
    expect((caught as { details: unknown }).details).toEqual({ from: 'confirmed', to: 'queued' })
    expect(() => assertIntentTransition(null, 'queued')).toThrow('illegal intent transition (none) → queued')
  })
})
