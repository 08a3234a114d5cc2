/** Seals an existing BIP39 mnemonic, to restore Bursar from a backup. */

import { entropyFromMnemonic } from './entropyFromMnemonic.ts'
import type { KdfCost, SealedSeed } from './SealedSeed.ts'
import { sealEntropy } from './sealEntropy.ts'

export type ImportSealedSeedParameters = {
  masterKey: string
  /** English BIP39 words (12–24); without a BIP39 passphrase, like the ones Bursar exports. */
  mnemonic: string
  keyId?: string | undefined
  kdf?: Partial<KdfCost> | undefined
}

export type ImportSealedSeedReturnType = SealedSeed

/**
 * Throws VALIDATION_FAILED, without quoting any word, when the mnemonic is not valid BIP39.
 *
 * @example
 * const sealed = await importSealedSeed({ masterKey, mnemonic: backupWords })
 */
export async function importSealedSeed(
  parameters: ImportSealedSeedParameters,
): Promise<ImportSealedSeedReturnType> {
  const { mnemonic, ...rest } = parameters
  const entropy = entropyFromMnemonic(mnemonic)
  try {
    return await sealEntropy({ ...rest, entropy })
  } finally {
    entropy.fill(0)
  }
}
