/**
 * Signing an EVM transaction with any secp256k1 Signer: the digest is keccak256 of the unsigned encoding, and the
 * signature is attached by re-encoding. The signer sees only 32 bytes; the chain logic stays here.
 */
import { BursarError } from '@bursar/core/errors'
import {
  BaseError,
  bytesToHex,
  type Hex,
  keccak256,
  serializeTransaction,
  type TransactionSerializable,
} from 'viem'

export type EvmSigningInput = { digest: Uint8Array; unsigned: TransactionSerializable }

/** What the signer must sign for `tx`. Refuses a transaction without a chain id: it could be replayed anywhere. */
export function evmSigningInput(tx: TransactionSerializable): EvmSigningInput {
  if (tx.chainId === undefined || !Number.isSafeInteger(tx.chainId) || tx.chainId <= 0) {
    throw new BursarError(
      'VALIDATION_FAILED',
      'refusing to sign an EVM transaction without a chain id: it could be replayed on any chain',
    )
  }
  return { digest: evmTransactionDigest(tx), unsigned: tx }
}

/** keccak256 of the unsigned encoding: what any secp256k1 signer signs for `tx` (chain id or not). */
export function evmTransactionDigest(tx: TransactionSerializable): Uint8Array {
  let encoded: Hex
  try {
    encoded = serializeTransaction(tx)
  } catch (error) {
    const reason = error instanceof BaseError ? error.shortMessage : 'unknown serialization error'
    throw new BursarError('VALIDATION_FAILED', `EVM transaction cannot be serialized: ${reason}`, {
      cause: error,
    })
  }
  return keccak256(encoded, 'bytes')
}

/** The signed encoding of `unsigned` with `signature` (r ‖ s and the recovery bit) attached. */
export function attachEvmSignature(
  unsigned: TransactionSerializable,
  signature: { bytes: Uint8Array; recovery?: number },
): Hex {
  const yParity = signature.recovery ?? 0
  const r = bytesToHex(signature.bytes.subarray(0, 32))
  const s = bytesToHex(signature.bytes.subarray(32, 64))
  // viem reads `v` for legacy transactions (adding the EIP-155 chain id itself) and `yParity` for typed ones.
  return serializeTransaction(unsigned, { r, s, v: 27n + BigInt(yParity), yParity })
}
