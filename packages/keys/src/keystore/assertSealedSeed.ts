/** Checks that a value read from storage has the exact shape of a SealedSeed before any crypto runs on it. */
import { BursarError } from '@bursar/core/errors'
import { kdfCostProblem } from './assertKdfCost.ts'
import type { SealedSeed } from './SealedSeed.ts'

const hex = /^(?:[0-9a-f]{2})*$/

/**
 * Throws INTERNAL naming the first bad field (never its value). The record came from our own
 * database, so a bad shape means corruption or tampering, not a user mistake.
 *
 * @example
 * assertSealedSeed(row.sealed_seed) // row.sealed_seed is now typed SealedSeed
 */
export function assertSealedSeed(value: unknown): asserts value is SealedSeed {
  const problem = sealedSeedProblem(value)
  if (problem) throw new BursarError('INTERNAL', `sealed seed record is malformed: ${problem}`)
}

function sealedSeedProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'not an object'
  if (value.version !== 1) return 'unsupported version'
  if (typeof value.keyId !== 'string' || value.keyId === '') return 'keyId'
  const kdf = value.kdf
  if (!isRecord(kdf) || kdf.name !== 'argon2id') return 'kdf.name'
  if (!isHex(kdf.salt, 16, 64)) return 'kdf.salt'
  const costProblem = kdfCostProblem({
    memoryKiB: kdf.memoryKiB as number,
    iterations: kdf.iterations as number,
    parallelism: kdf.parallelism as number,
  })
  if (costProblem) return costProblem
  // Ciphertexts carry a 16-byte tag: a 32-byte DEK, and 16–32 bytes of BIP39 entropy.
  const dekProblem = boxProblem(value.wrappedDek, [48], 'wrappedDek')
  if (dekProblem) return dekProblem
  return boxProblem(value.seed, [32, 36, 40, 44, 48], 'seed')
}

function boxProblem(box: unknown, ciphertextBytes: number[], name: string): string | undefined {
  if (!isRecord(box)) return name
  if (!isHex(box.nonce, 12, 12)) return `${name}.nonce`
  if (!ciphertextBytes.some((bytes) => isHex(box.ciphertext, bytes, bytes))) return `${name}.ciphertext`
  return undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isHex(value: unknown, minBytes: number, maxBytes: number): value is string {
  return (
    typeof value === 'string' &&
    hex.test(value) &&
    value.length >= minBytes * 2 &&
    value.length <= maxBytes * 2
  )
}
