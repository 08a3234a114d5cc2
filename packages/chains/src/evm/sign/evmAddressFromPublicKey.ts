/** The EVM address of a secp256k1 public key: the last 20 bytes of keccak256 of its uncompressed point. */
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { type Address, getAddress, keccak256 } from 'viem'

/** @example evmAddressFromPublicKey(keystore.publicKey('secp256k1', "m/44'/60'/0'/0/0")) // '0x9858EfFD…' */
export function evmAddressFromPublicKey(publicKey: Uint8Array): Address {
  const uncompressed = secp256k1.Point.fromBytes(publicKey).toBytes(false)
  return getAddress(`0x${keccak256(uncompressed.subarray(1)).slice(-40)}`)
}
