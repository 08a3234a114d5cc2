/**
 * The signing MAC: what an intent was signed as — its wallet and key, its chain, its nonce, the hash of its first
 * transaction — MACed when the executor signs it. Every later version (a replacement, a cancellation) is signed only
 * when the row still verifies: a database writer cannot move a payment to another nonce (paying it twice) or point a
 * row at another wallet to have Bursar sign from that wallet's key.
 */
import { timingSafeEqual } from 'node:crypto'
import { canonicalJson } from '@bursar/core/audit'
import type { Keystore } from '@bursar/keys/keystore'

export type SigningBinding = {
  intentId: string
  walletId: string
  derivationIndex: number
  chainKey: string
  /** Null for families without sequence numbers. */
  nonce: number | null
  firstTxHash: string
}

export function signingMac(keystore: Pick<Keystore, 'mac'>, binding: SigningBinding): string {
  return keystore.mac(
    'signing',
    canonicalJson({
      v: 1,
      intent: binding.intentId,
      wallet: binding.walletId,
      index: binding.derivationIndex,
      chain: binding.chainKey,
      nonce: binding.nonce,
      first: binding.firstTxHash.toLowerCase(),
    }),
  )
}

export function isSigningMacValid(
  keystore: Pick<Keystore, 'mac'>,
  binding: SigningBinding,
  mac: string | null,
): boolean {
  if (mac === null) return false
  const expected = Buffer.from(signingMac(keystore, binding), 'hex')
  const actual = Buffer.from(mac, 'hex')
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}
