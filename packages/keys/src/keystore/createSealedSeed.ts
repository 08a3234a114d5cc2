/** Creates a new master seed and returns it sealed, ready to store. */
import { randomBytes } from 'node:crypto'
import { BursarError } from '@bursar/core/errors'
import type { KdfCost, SealedSeed } from './SealedSeed.ts'
import { sealEntropy } from './sealEntropy.ts'

export type CreateSealedSeedParameters = {
  masterKey: string
  /** Defaults to a random UUID. It is bound into the seed ciphertext. */
  keyId?: string | undefined
  /** Mnemonic length: 12 words (128-bit entropy) or 24 words (256-bit, the default). */
  words?: 12 | 24 | undefined
  /** Argon2id cost; defaults to defaultKdfParams. */
  kdf?: Partial<KdfCost> | undefined
}

export type CreateSealedSeedReturnType = SealedSeed

/**
 * Draws the BIP39 entropy from the OS CSPRNG (exactly what @scure/bip39's generateMnemonic does,
 * minus the mnemonic string, which could never be zeroed); the words exist only on exportMnemonic().
 *
 * @example
 * const sealed = await createSealedSeed({ masterKey: process.env.BURSAR_MASTER_KEY! })
 * await store.saveSealedSeed(sealed)
 */
export async function createSealedSeed(
  parameters: CreateSealedSeedParameters,
): Promise<CreateSealedSeedReturnType> {
  const { words = 24, ...rest } = parameters
  if (words !== 12 && words !== 24) {
    throw new BursarError('VALIDATION_FAILED', `words must be 12 or 24, got ${words}`, { details: { words } })
  }
  const entropy = randomBytes(words === 12 ? 16 : 32)
  try {
    return await sealEntropy({ ...rest, entropy })
  } finally {
    entropy.fill(0)
  }
}
