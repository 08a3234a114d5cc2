/** SLIP-0010 Ed25519 derivation (micro-key-producer): every segment hardened, as SLIP-0010 requires for Ed25519. */
import { BursarError } from '@bursar/core/errors'
import { HDKey } from 'micro-key-producer/slip10.js'

/**
 * @example const key = deriveSlip10Key(seed, "m/44'/501'/0'/0'") // key.privateKey: 32 bytes, key.publicKeyRaw
 */
export function deriveSlip10Key(seed: Uint8Array, path: string): HDKey {
  if (!/^m(\/\d{1,10}['hH])*$/.test(path)) {
    throw new BursarError(
      'VALIDATION_FAILED',
      `invalid SLIP-0010 Ed25519 path "${path}" (every segment hardened)`,
      {
        details: { path },
      },
    )
  }
  return HDKey.fromMasterSeed(seed).derive(path.replace(/[hH]/g, "'"))
}
