/** The stored form of a small secret (a TOTP or webhook signing secret) that the keystore seals for one record. */

/**
 * What a sealed secret is for; part of its additional data, so a box sealed for one purpose opens for no other.
 * 'totp': an account's TOTP secret, bound to the account id; 'webhook': an endpoint's signing secret, bound to the
 * endpoint id.
 */
export type SecretPurpose = 'totp' | 'webhook'

/** The largest plaintext sealed: these are small secrets, and the bound keeps a corrupt row cheap to refuse. */
export const maxSecretBytes = 1024

/**
 * JSON-serialisable (a jsonb column). AES-256-GCM, like the seed: `salt` (16 bytes, hex) derives a key for this record
 * alone from the keystore's secret-sealing key (HKDF-SHA256), so each AES key encrypts one message, as everywhere
 * else in the keystore; `nonce` is the 12-byte GCM nonce (hex); `ciphertext` carries the 16-byte tag at its end (hex).
 * The additional data is `bursar:secret:v1:<purpose>:<id>`: a box copied to another record does not open.
 */
export type SealedSecret = {
  version: 1
  salt: string
  nonce: string
  ciphertext: string
}
