import { recoverTransactionAddress, type TransactionSerialized } from 'viem'
import { describe, expect, test } from 'vitest'
import { evmAddressFromPrivateKey } from './evmAddressFromPrivateKey.ts'
import { signEvmTransaction } from './signEvmTransaction.ts'
import { toEvmSigner } from './toEvmSigner.ts'

// Private key 1: its address is well known.
const keyOne = () => Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? 1 : 0))
const tx = {
  chainId: 8453,
  to: '0x000000000000000000000000000000000000dEaD',
  value: 1n,
  nonce: 7,
  gas: 21_000n,
  maxFeePerGas: 2_000_000_000n,
  maxPriorityFeePerGas: 1_000_000n,
} as const

describe('toEvmSigner', () => {
  test('signs transactions that recover to its checksummed address', async () => {
    const signer = toEvmSigner(keyOne())
    expect(signer.address).toBe('0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf')
    const serializedTransaction = (await signer.signTransaction(tx)) as TransactionSerialized
    expect(await recoverTransactionAddress({ serializedTransaction })).toBe(signer.address)
    // Deterministic (RFC 6979): the same key and transaction give the same bytes.
    expect(await signer.signTransaction(tx)).toBe(serializedTransaction)
  })

  test('error: refuses to sign once the lender has zeroed the key', async () => {
    const privateKey = keyOne()
    const signer = toEvmSigner(privateKey)
    privateKey.fill(0)
    await expect(signer.signTransaction(tx)).rejects.toMatchObject({ code: 'INTERNAL', message: /wiped/ })
  })

  test('error: refuses a transaction without a chain id (replayable on every chain)', async () => {
    const signer = toEvmSigner(keyOne())
    const legacy = { type: 'legacy', to: tx.to, value: 1n, nonce: 0, gas: 21_000n, gasPrice: 1n } as const
    await expect(signer.signTransaction(legacy)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    await expect(signer.signTransaction({ ...legacy, chainId: 0 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
    // The same transaction with a chain id is fine (EIP-155).
    await expect(signer.signTransaction({ ...legacy, chainId: 1 })).resolves.toMatch(/^0x/)
  })
})

describe('signEvmTransaction', () => {
  test('error: an invalid private key is reported without its bytes', () => {
    const order = Buffer.from('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141', 'hex')
    for (const privateKey of [new Uint8Array(32), order, new Uint8Array(31).fill(7)]) {
      try {
        signEvmTransaction(privateKey, tx)
        expect.unreachable()
      } catch (error) {
        expect(error).toMatchObject({ code: 'INTERNAL' })
        expect((error as Error).cause).toBeUndefined()
        expect(String((error as Error).message)).not.toMatch(/ffffffff|0707|0000000000/)
      }
      expect(() => evmAddressFromPrivateKey(privateKey)).toThrow(/not a valid secp256k1 private key/)
    }
  })

  test('error: a transaction viem cannot serialize is a validation failure', () => {
    expect(() => signEvmTransaction(keyOne(), { ...tx, maxPriorityFeePerGas: 3_000_000_000n })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
  })
})
