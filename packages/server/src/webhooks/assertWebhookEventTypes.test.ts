import { describe, expect, test } from 'vitest'
import { assertWebhookEventTypes } from './assertWebhookEventTypes.ts'

describe('assertWebhookEventTypes', () => {
  test('accepts exact types, families and *, without repeats', () => {
    expect(assertWebhookEventTypes(['intent.*', 'approval.requested', '*', 'intent.*'])).toEqual([
      'intent.*',
      'approval.requested',
      '*',
    ])
    expect(assertWebhookEventTypes(['intent.nonce_filler'])).toEqual(['intent.nonce_filler'])
  })

  test('error: none, or a malformed pattern → VALIDATION_FAILED', () => {
    for (const eventTypes of [
      [],
      [''],
      ['intent.'],
      ['*.confirmed'],
      ['intent*'],
      ['Intent.Confirmed'],
      ['a b'],
    ]) {
      expect(() => assertWebhookEventTypes(eventTypes), JSON.stringify(eventTypes)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      )
    }
  })
})
