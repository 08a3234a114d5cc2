/** Computes the checksummed EVM address of a private key held in a Uint8Array. */
import { secp256k1 } from '@noble/curves/secp256k1.js'
import type { Address } from 'viem'
import { evmAddressFromPublicKey } from './evmAddressFromPublicKey.ts'
import { signingFailed } from './signingFailed.ts'

/**
 * @example
 * evmAddressFromPrivateKey(privateKey) // '0x...' with EIP-55 checksum
 */
export function evmAddressFromPrivateKey(privateKey: Uint8Array): Address {
  let publicKey: Uint8Array
  try {
    publicKey = secp256k1.getPublicKey(privateKey, false)
  } catch {
    // The library's message may describe the key; ours never does.
    throw signingFailed('not a valid secp256k1 private key')
  }
  return evmAddressFromPublicKey(publicKey)
}
