/** Stretches BIP39 entropy into the 64-byte BIP39 seed (PBKDF2-HMAC-SHA512, 2048 rounds). */
import { pbkdf2Sync } from 'node:crypto'
import { mnemonicBytesFromEntropy } from './mnemonicBytesFromEntropy.ts'

/**
 * Bursar seals wallets without a BIP39 passphrase; `passphrase` exists for the spec's test vectors.
 * The caller zeroes the returned seed.
 *
 * @example
 * const seed = seedFromEntropy(entropy)
 * try { ... } finally { seed.fill(0) }
 */
export function seedFromEntropy(entropy: Uint8Array, passphrase = ''): Uint8Array {
  const mnemonic = mnemonicBytesFromEntropy(entropy)
  try {
    const salt = Buffer.from(`mnemonic${passphrase}`.normalize('NFKD'), 'utf8')
    return pbkdf2Sync(mnemonic, salt, 2048, 64, 'sha512')
  } finally {
    mnemonic.fill(0)
  }
}
