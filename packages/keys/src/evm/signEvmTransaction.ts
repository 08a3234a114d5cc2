/** Signs an EVM transaction with a private key held in a Uint8Array, never as a hex string. */
import { BursarError } from '@bursar/core/errors'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import {
  BaseError,
  bytesToHex,
  type Hex,
  keccak256,
  serializeTransaction,
  type TransactionSerializable,
} from 'viem'
import { signingFailed } from './signingFailed.ts'

export type SignEvmTransactionReturnType = Hex

/**
 * Serializes `tx` (legacy, EIP-155, EIP-2930, EIP-1559, EIP-4844 without sidecars, EIP-7702), signs
 * keccak256 of the unsigned encoding with low-s RFC 6979 ECDSA and returns the signed encoding.
 * The same key and transaction always give the same bytes.
 *
 * @example
 * const raw = signEvmTransaction(privateKey, { chainId: 1, to, value: 1n, nonce: 0, gas: 21000n, maxFeePerGas, maxPriorityFeePerGas })
 */
export function signEvmTransaction(
  privateKey: Uint8Array,
  tx: TransactionSerializable,
): SignEvmTransactionReturnType {
  const hash = keccak256(serializeUnsigned(tx), 'bytes')
  let signature: Uint8Array
  try {
    // 'recovered' puts the recovery bit first: [recovery, r(32), s(32)].
    signature = secp256k1.sign(hash, privateKey, { prehash: false, format: 'recovered' })
  } catch {
    // Swallow the cause: a library error about a bad key may print the key.
    throw signingFailed('not a valid secp256k1 private key')
  }
  const yParity = signature[0]!
  const r = bytesToHex(signature.subarray(1, 33))
  const s = bytesToHex(signature.subarray(33, 65))
  // viem reads `v` for legacy transactions (adding the EIP-155 chain id itself) and `yParity` for typed ones.
  return serializeTransaction(tx, { r, s, v: 27n + BigInt(yParity), yParity })
}

function serializeUnsigned(tx: TransactionSerializable): Hex {
  try {
    return serializeTransaction(tx)
  } catch (error) {
    const reason = error instanceof BaseError ? error.shortMessage : 'unknown serialization error'
    throw new BursarError('VALIDATION_FAILED', `EVM transaction cannot be serialized: ${reason}`, {
      cause: error,
    })
  }
}
