/** Seals BIP39 entropy under a fresh data key, and the data key under the master key (see SealedSeed.ts). */
import { randomBytes, randomUUID } from 'node:crypto'
import { BursarError } from '@bursar/core/errors'
import { dekAdditionalData, seedAdditionalData } from './additionalData.ts'
import { assertKdfCost } from './assertKdfCost.ts'
import { assertMasterKey } from './assertMasterKey.ts'
import { deriveKek } from './deriveKek.ts'
import { encryptAesGcm } from './encryptAesGcm.ts'
import { defaultKdfParams, type KdfCost, type KdfParams, type SealedSeed } from './SealedSeed.ts'

export type SealEntropyParameters = {
  masterKey: string
  entropy: Uint8Array
  keyId?: string | undefined
  kdf?: Partial<KdfCost> | undefined
}

/** Shared by createSealedSeed and importSealedSeed. The caller still owns (and zeroes) `entropy`. */
export async function sealEntropy(parameters: SealEntropyParameters): Promise<SealedSeed> {
  const { masterKey, entropy } = parameters
  assertMasterKey(masterKey)
  const keyId = parameters.keyId ?? randomUUID()
  if (keyId === '') throw new BursarError('VALIDATION_FAILED', 'keyId must not be empty')
  const { memoryKiB, iterations, parallelism } = { ...defaultKdfParams, ...parameters.kdf }
  assertKdfCost({ memoryKiB, iterations, parallelism }, 'VALIDATION_FAILED')
  const salt = randomBytes(16).toString('hex')
  const kdf: KdfParams = { name: 'argon2id', memoryKiB, iterations, parallelism, salt }

  const dek = randomBytes(32)
  const kek = await deriveKek(masterKey, kdf)
  try {
    return {
      version: 1,
      keyId,
      kdf,
      wrappedDek: encryptAesGcm(kek, dek, dekAdditionalData()),
      seed: encryptAesGcm(dek, entropy, seedAdditionalData(keyId)),
    }
  } finally {
    kek.fill(0)
    dek.fill(0)
  }
}
