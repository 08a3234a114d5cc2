/** Public surface of @bursar/keys/keystore: the sealed master seed and the Keystore that opens it. */

export { assertSealedSeed } from './assertSealedSeed.ts'
export {
  type CreateSealedSeedParameters,
  type CreateSealedSeedReturnType,
  createSealedSeed,
} from './createSealedSeed.ts'
export {
  type ImportSealedSeedParameters,
  type ImportSealedSeedReturnType,
  importSealedSeed,
} from './importSealedSeed.ts'
export { type Keystore, type OpenKeystoreReturnType, openKeystore } from './openKeystore.ts'
export type { SealedSecret, SecretPurpose } from './SealedSecret.ts'
export {
  defaultKdfParams,
  type KdfCost,
  type KdfParams,
  type SealedBox,
  type SealedSeed,
} from './SealedSeed.ts'
export { deriveServiceKeys, type MacPurpose, type ServiceKeys } from './serviceKeys.ts'
