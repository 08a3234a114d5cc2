/** Opens this instance's master seed, creating and sealing it on first start. */
import { BursarError } from '@bursar/core/errors'
import { createSealedSeed, type Keystore, openKeystore, type SealedSeed } from '@bursar/keys/keystore'
import {
  appendAudit,
  type Db,
  getMasterSeed,
  insertKeyMaterial,
  lockKeyMaterialCreation,
  newId,
} from '@bursar/store'

export async function loadKeystore(
  db: Db,
  masterKey: string,
  kdf?: { memoryKiB?: number; iterations?: number },
): Promise<Keystore> {
  if (!masterKey) throw new BursarError('MASTER_KEY_INVALID', 'BURSAR_MASTER_KEY is not set')
  let row = await getMasterSeed(db)
  if (!row) {
    const keyId = newId('kms')
    const sealed = await createSealedSeed({ masterKey, keyId, ...(kdf ? { kdf } : {}) })
    await db.transaction(async (tx) => {
      // Two processes starting on an empty database must agree on one seed.
      await lockKeyMaterialCreation(tx)
      if (await getMasterSeed(tx as Db)) return
      await insertKeyMaterial(tx, keyId, sealed)
      await appendAudit(tx, [
        {
          actor: { type: 'system', id: null },
          action: 'key.created',
          subject: { type: 'key', id: keyId },
          data: { kind: 'master_seed', kdf: 'argon2id' },
        },
      ])
    })
    row = await getMasterSeed(db)
  }
  return openKeystore(row!.sealed as SealedSeed, masterKey)
}
