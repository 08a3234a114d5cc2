/** Derives the key-encryption key from the operator's master key with argon2id. */
import { argon2idAsync } from '@noble/hashes/argon2.js'
import type { KdfParams } from './SealedSeed.ts'

/** The caller zeroes the returned 32 bytes once the data key is wrapped or unwrapped. */
export async function deriveKek(masterKey: string, kdf: KdfParams): Promise<Uint8Array> {
  const password = new TextEncoder().encode(masterKey)
  try {
    // The async variant yields to the event loop every few milliseconds, so the server keeps answering.
    return await argon2idAsync(password, Buffer.from(kdf.salt, 'hex'), {
      m: kdf.memoryKiB,
      t: kdf.iterations,
      p: kdf.parallelism,
      dkLen: 32,
    })
  } finally {
    password.fill(0)
  }
}
