/** The stored form of a master seed: the BIP39 entropy under a data key, the data key under the master key. */

/** Argon2id parameters that turn the master key into the key-encryption key (KEK). */
export type KdfParams = {
  name: 'argon2id'
  memoryKiB: number
  iterations: number
  parallelism: number
  /** 16 random bytes, hex, fresh for every record. */
  salt: string
}

/** An AES-256-GCM box: hex 12-byte nonce, hex ciphertext with the 16-byte tag appended. */
export type SealedBox = { nonce: string; ciphertext: string }

/**
 * JSON-serialisable (a jsonb column). `seed` holds the BIP39 *entropy* (16–32 bytes), not the mnemonic
 * text or the 64-byte BIP39 seed: entropy is the smallest form the mnemonic can be rebuilt from for a
 * backup, and bytes can be zeroed where a string cannot.
 *
 * - `wrappedDek`: the 32-byte data key (DEK), AES-256-GCM under the argon2id KEK, AAD `bursar:dek:v1`.
 * - `seed`: the entropy, AES-256-GCM under the DEK, AAD `bursar:seed:v1:<keyId>`, so a ciphertext moved
 *   to another key id, or a record whose key id was edited, fails authentication.
 */
export type SealedSeed = {
  version: 1
  keyId: string
  kdf: KdfParams
  wrappedDek: SealedBox
  seed: SealedBox
}

/** OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane): about 0.2 s in @noble/hashes on one core. */
export const defaultKdfParams = { memoryKiB: 19_456, iterations: 2, parallelism: 1 } as const

export type KdfCost = Omit<KdfParams, 'name' | 'salt'>
