/**
 * One signer interface for every custody backend (the local keystore, an HSM, a threshold group): a curve, a public
 * key, and a signing function over bytes the chain adapter prepared. No backend knows about chains.
 */

export type Curve = 'secp256k1' | 'ed25519'

export type Signature = {
  /** secp256k1: r ‖ s, 64 bytes, low-s; ed25519: the 64-byte signature. */
  bytes: Uint8Array
  /** secp256k1 only: the recovery bit (y parity of R). */
  recovery?: number
}

export type Signer = {
  curve: Curve
  /** secp256k1: compressed (33 bytes); ed25519: 32 bytes. */
  publicKey: Uint8Array
  /**
   * secp256k1: signs a 32-byte digest the adapter computed (RFC 6979, low-s); ed25519: signs the message itself.
   * Refuses once the signer's lease has ended.
   */
  sign(payload: Uint8Array): Promise<Signature>
}
