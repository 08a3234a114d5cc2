/** Reads a published test-vector file from ../shared/vectors (a sibling of the repository root). */
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'

const vectorsDir = new URL('../../../../shared/vectors/', import.meta.url)

/** @example const cases = readVector<Case[]>('ethers-transactions.json.gz') */
export function readVector<T>(name: string): T {
  const bytes = readFileSync(new URL(name, vectorsDir))
  return JSON.parse((name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')) as T
}
