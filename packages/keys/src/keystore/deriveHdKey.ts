/** BIP32 derivation from a seed along a path, wiping every intermediate private key on the way. */
import { BursarError } from '@bursar/core/errors'
import { HDKey } from '@scure/bip32'

const hardenedOffset = 0x80000000

/**
 * Path syntax is BIP32's: `m`, then `/index` or `/index'` (also `h`/`H`) segments below 2^31.
 * The caller calls `wipePrivateData()` on the returned key. Zeroing is best effort: we wipe every
 * buffer we can reach, but the library's HMAC outputs and bigint arithmetic are beyond reach.
 *
 * @example
 * const key = deriveHdKey(seed, "m/44'/60'/0'/0/0")
 * try { sign(key.privateKey) } finally { key.wipePrivateData() }
 */
export function deriveHdKey(seed: Uint8Array, path: string): HDKey {
  const indices = parsePath(path)
  let node = HDKey.fromMasterSeed(seed)
  try {
    for (const index of indices) {
      const child = node.deriveChild(index)
      node.wipePrivateData()
      node = child
    }
    return node
  } catch (error) {
    node.wipePrivateData()
    throw error
  }
}

function parsePath(path: string): number[] {
  const [root, ...segments] = path.split('/')
  if (root !== 'm') throw invalidPath(path)
  return segments.map((segment) => {
    const match = /^(\d{1,10})(['hH]?)$/.exec(segment)
    const index = Number(match?.[1])
    if (!match || index >= hardenedOffset) throw invalidPath(path)
    return match[2] === '' ? index : index + hardenedOffset
  })
}

function invalidPath(path: string): BursarError {
  return new BursarError('VALIDATION_FAILED', `invalid BIP32 derivation path "${path}"`, {
    details: { path },
  })
}
