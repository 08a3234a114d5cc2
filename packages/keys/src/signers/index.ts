/** Public surface of @bursar/keys/signers: the one signer interface every custody backend implements. */
export { deriveSlip10Key } from './deriveSlip10Key.ts'
export type { Curve, Signature, Signer } from './Signer.ts'
export { toEd25519Signer } from './toEd25519Signer.ts'
export { toSecp256k1Signer } from './toSecp256k1Signer.ts'
