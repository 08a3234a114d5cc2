/** ethers.js signed-transaction vectors (testcases/transactions.json.gz) reproduced byte for byte: keys' secp256k1
 * signer over the digest, the EVM adapter's encoding around it. */

import { toSecp256k1Signer } from '@bursar/keys/signers'
import { readVector } from '@bursar/testing/vectors'
import type { Hex, TransactionSerializable } from 'viem'
import { describe, expect, test } from 'vitest'
import { attachEvmSignature, evmTransactionDigest } from '../src/evm/sign/signEvmTransaction.ts'

type EthersTransaction = {
  to?: Hex
  nonce?: number
  gasLimit?: Hex
  gasPrice?: Hex
  maxFeePerGas?: Hex
  maxPriorityFeePerGas?: Hex
  data?: Hex
  value?: Hex
  accessList?: { address: Hex; storageKeys: Hex[] }[]
  chainId?: Hex
  maxFeePerBlobGas?: Hex
  blobVersionedHashes?: Hex[]
}

type Kind = 'Legacy' | 'Eip155' | 'Berlin' | 'London' | 'Cancun'

type EthersCase = { name: string; transaction: EthersTransaction; privateKey: Hex } & {
  [K in `signed${Kind}`]: Hex | ''
}

const cases = readVector<EthersCase[]>('ethers-transactions.json.gz')

// The classes of cases viem cannot express, with why at the point where each is detected.
const chainIdZero = 'typed transaction with chain id 0'
const noBlobs = 'blob transaction without blob hashes'

/** Maps ethers' fields to viem's; a string explains why the case cannot be expressed in viem. */
function toViem(kind: Kind, t: EthersTransaction): TransactionSerializable | string {
  const chainId = t.chainId === undefined ? 0 : Number(t.chainId)
  // ethers encodes a missing chain id as 0 in typed transactions. viem (and every real network)
  // refuses chain id 0 for types 1–3, and Bursar never signs without one, so these are skipped.
  if (kind !== 'Legacy' && chainId === 0) return chainIdZero
  const base = {
    ...(t.to === undefined ? {} : { to: t.to }),
    nonce: t.nonce ?? 0,
    gas: BigInt(t.gasLimit ?? 0),
    value: BigInt(t.value ?? 0),
    data: t.data ?? '0x',
  }
  const gasPrice = BigInt(t.gasPrice ?? 0)
  const fees = {
    maxFeePerGas: BigInt(t.maxFeePerGas ?? 0),
    maxPriorityFeePerGas: BigInt(t.maxPriorityFeePerGas ?? 0),
  }
  const accessList = t.accessList ?? []
  switch (kind) {
    case 'Legacy':
      return { type: 'legacy', ...base, gasPrice }
    case 'Eip155':
      return { type: 'legacy', ...base, gasPrice, chainId }
    case 'Berlin':
      return { type: 'eip2930', ...base, gasPrice, chainId, accessList }
    case 'London':
      return { type: 'eip1559', ...base, ...fees, chainId, accessList }
    case 'Cancun':
      // A type-3 transaction must carry at least one blob; viem refuses an empty list, as nodes do.
      if (!t.blobVersionedHashes?.length) return noBlobs
      // Without sidecars: the form that is hashed and signed carries only the versioned hashes.
      return {
        type: 'eip4844',
        ...base,
        ...fees,
        chainId,
        accessList,
        maxFeePerBlobGas: BigInt(t.maxFeePerBlobGas ?? 0),
        blobVersionedHashes: t.blobVersionedHashes ?? [],
      } as TransactionSerializable
  }
}

const kinds: Kind[] = ['Legacy', 'Eip155', 'Berlin', 'London', 'Cancun']
// The expected counts pin the coverage, so a regression that starts skipping cases fails loudly.
const expected: Record<Kind, { passed: number; skipped: Record<string, number> }> = {
  Legacy: { passed: 3200, skipped: {} },
  Eip155: { passed: 1664, skipped: {} },
  Berlin: { passed: 1664, skipped: { [chainIdZero]: 1536 } },
  London: { passed: 1664, skipped: { [chainIdZero]: 1536 } },
  Cancun: { passed: 492, skipped: { [chainIdZero]: 768, [noBlobs]: 404 } },
}

describe('ethers signed transactions', () => {
  test('there are 3200 cases', () => {
    expect(cases).toHaveLength(3200)
  })

  test.each(kinds)(
    'signed%s reproduced byte for byte by the keystore signer and the EVM encoding',
    async (kind) => {
      let passed = 0
      const skipped = new Map<string, number>()
      const mismatches: string[] = []
      for (const vector of cases) {
        const signed = vector[`signed${kind}`]
        if (signed === '') continue // ethers marks the type as not applicable (e.g. EIP-155 without chain id)
        const tx = toViem(kind, vector.transaction)
        if (typeof tx === 'string') {
          skipped.set(tx, (skipped.get(tx) ?? 0) + 1)
          continue
        }
        const signer = toSecp256k1Signer(Buffer.from(vector.privateKey.slice(2), 'hex'))
        if (attachEvmSignature(tx, await signer.sign(evmTransactionDigest(tx))) === signed) passed++
        else mismatches.push(vector.name)
      }
      const result = { passed, skipped: Object.fromEntries(skipped) }
      console.log(`ethers ${kind}:`, JSON.stringify(result))
      expect(mismatches).toEqual([])
      expect(result).toEqual(expected[kind])
    },
  )
})
