/** Turns a secp256k1 public key into its checksummed EVM address. */
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { type Address, bytesToHex, getAddress, keccak256 } from 'viem'

/**
 * Accepts a compressed (33-byte) or uncompressed (65-byte) public key.
 *
 * @example
 * evmAddressFromPublicKey(hdKey.publicKey!) // '0x9858EfFD232B4033E47d90003D41EC34EcaEda94'
 */
export function evmAddressFromPublicKey(publicKey: Uint8Array): Address {
  const uncompressed = secp256k1.Point.fromBytes(publicKey).toBytes(false)
  const hash = keccak256(uncompressed.subarray(1), 'bytes')
  return getAddress(bytesToHex(hash.subarray(12)))
}
