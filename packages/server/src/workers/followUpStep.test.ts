import { describe, expect, test } from 'vitest'
import { type FollowUpInput, followUpStep, needsKnown } from './followUpStep.ts'

const now = new Date('2026-12-04T12:00:00Z')
const ago = (ms: number) => new Date(now.getTime() - ms)
const timings = {
  rebroadcastAfterMs: 15_000,
  replaceAfterMs: 60_000,
  inDoubtGraceMs: 30_000,
  nonceSettleMs: 10_000,
}
const receipt = (blockNumber: bigint, kind: 'original' | 'replacement' | 'cancel' = 'original') => ({
  status: 'success' as const,
  blockNumber,
  blockHash: '0xb1',
  feePaid: 21_000n,
  txHash: '0xt1',
  kind,
})

const base: FollowUpInput = {
  status: 'broadcast',
  mined: null,
  head: 100n,
  confirmations: 3,
  minedSequence: 5,
  nonce: 5,
  known: true,
  seenBlockHash: null,
  newestKind: 'original',
  sentAt: ago(1_000),
  cancelRequested: false,
  nonceUsedSeenAt: null,
  halted: false,
  replaceable: true,
  refused: { count: 0, latest: false },
  now,
  timings,
}
const step = (patch: Partial<FollowUpInput>) => followUpStep({ ...base, ...patch })

describe('followUpStep', () => {
  test.each([
    ['mined below depth: remember where', { mined: receipt(99n) }, { kind: 'mined', record: true }],
    [
      'mined below depth, already remembered',
      { mined: receipt(99n), seenBlockHash: '0xb1' },
      { kind: 'mined', record: false },
    ],
    ['mined at depth: confirmed', { mined: receipt(98n) }, { kind: 'settle', outcome: 'confirmed' }],
    [
      'mined at depth, reverted',
      { mined: { ...receipt(98n), status: 'reverted' as const } },
      { kind: 'settle', outcome: 'reverted' },
    ],
    [
      'its cancellation mined at depth',
      { mined: receipt(98n, 'cancel') },
      { kind: 'settle', outcome: 'cancellation_mined' },
    ],
    [
      'a replacement mined at depth settles it too',
      { mined: receipt(98n, 'replacement') },
      { kind: 'settle', outcome: 'confirmed' },
    ],
    ['fresh and known: wait', {}, { kind: 'wait' }],
    [
      'forgotten by the node, past the rebroadcast time: send again',
      { known: false, sentAt: ago(20_000) },
      { kind: 'resend' },
    ],
    ['forgotten, but just sent: wait', { known: false, sentAt: ago(1_000) }, { kind: 'wait' }],
    ['known and stuck past the replacement time: replace', { sentAt: ago(61_000) }, { kind: 'replace' }],
    [
      'stuck, but the family cannot replace: wait',
      { sentAt: ago(61_000), replaceable: false },
      { kind: 'wait' },
    ],
    [
      'in doubt within its grace, past the rebroadcast time: send again',
      { status: 'in_doubt' as const, sentAt: ago(20_000) },
      { kind: 'resend' },
    ],
    [
      'in doubt past its grace: cancel',
      { status: 'in_doubt' as const, sentAt: ago(31_000) },
      { kind: 'cancel' },
    ],
    ['a cancellation asked for: cancel', { cancelRequested: true }, { kind: 'cancel' }],
    [
      'a cancellation out and fresh: wait',
      { cancelRequested: true, newestKind: 'cancel' as const },
      { kind: 'wait' },
    ],
    [
      'a cancellation out, forgotten: send it again',
      { newestKind: 'cancel' as const, known: false, sentAt: ago(20_000) },
      { kind: 'resend' },
    ],
    [
      'a cancellation out and stuck: outbid it with another',
      { newestKind: 'cancel' as const, sentAt: ago(61_000) },
      { kind: 'cancel' },
    ],
    [
      'a cancellation just refused: not signed again before a replacement interval',
      { cancelRequested: true, refused: { count: 1, latest: true }, sentAt: ago(1_000) },
      { kind: 'wait' },
    ],
    [
      'a cancellation refused a while ago: tried again',
      { cancelRequested: true, refused: { count: 1, latest: true }, sentAt: ago(61_000) },
      { kind: 'cancel' },
    ],
    [
      'five versions refused: nothing more is signed',
      { cancelRequested: true, refused: { count: 5, latest: true }, sentAt: ago(61_000) },
      { kind: 'wait' },
    ],
    ['halted: nothing is sent', { halted: true, known: false, sentAt: ago(61_000) }, { kind: 'wait' }],
    [
      'halted, but someone asked to cancel: cancel',
      { halted: true, cancelRequested: true },
      { kind: 'cancel' },
    ],
    [
      'halted and in doubt past its grace: nothing is sent',
      { halted: true, status: 'in_doubt' as const, sentAt: ago(31_000) },
      { kind: 'wait' },
    ],
    [
      'nonce used, first sighting: record it',
      { minedSequence: 6 },
      { kind: 'nonce_used', record: true, settle: false },
    ],
    [
      'nonce used, seen before but not long enough ago: neither forget nor settle',
      { minedSequence: 6, nonceUsedSeenAt: ago(5_000) },
      { kind: 'nonce_used', record: false, settle: false },
    ],
    [
      'nonce used, seen long enough ago: settle',
      { minedSequence: 6, nonceUsedSeenAt: ago(11_000) },
      { kind: 'nonce_used', record: false, settle: true },
    ],
    [
      'nonce used settles even under a halt (nothing is sent)',
      { minedSequence: 6, nonceUsedSeenAt: ago(11_000), halted: true },
      { kind: 'nonce_used', record: false, settle: true },
    ],
    [
      'seen mined, now gone: a reorg, then sent again',
      { seenBlockHash: '0xb1', known: false, sentAt: ago(20_000) },
      { kind: 'reorged', next: { kind: 'resend' } },
    ],
  ] as Array<[string, Partial<FollowUpInput>, unknown]>)('%s', (_, patch, expected) => {
    expect(step(patch)).toEqual(expected)
  })

  test('never settles or gives up on its own unless mined or the nonce is used: every other answer sends or waits', () => {
    for (const status of ['broadcast', 'in_doubt'] as const) {
      for (const known of [true, false, undefined]) {
        for (const sinceMs of [0, 20_000, 40_000, 70_000]) {
          const { kind } = step({ status, known, sentAt: ago(sinceMs) })
          expect(['wait', 'resend', 'replace', 'cancel']).toContain(kind)
        }
      }
    }
  })

  test('asks whether the node knows the transaction only once it may need sending again', () => {
    expect(needsKnown({ now, timings, sentAt: ago(1_000) })).toBe(false)
    expect(needsKnown({ now, timings, sentAt: ago(15_000) })).toBe(true)
  })
})
