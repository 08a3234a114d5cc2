/** The EVM signer handed out by a keystore: an address and a signing function over one borrowed key. */
import { BursarError } from '@bursar/core/errors'
import type { Address, Hex, TransactionSerializable } from 'viem'
import { evmAddressFromPrivateKey } from './evmAddressFromPrivateKey.ts'
import { signEvmTransaction } from './signEvmTransaction.ts'

export type EvmSigner = {
  address: Address
  signTransaction(tx: TransactionSerializable): Promise<Hex>
}

/**
 * Borrows `privateKey` without copying it: the owner zeroes the buffer when the signer's lease ends,
 * after which the signer refuses to sign. It also refuses transactions without a chain id, which
 * would be valid on every chain (pre-EIP-155 replay).
 *
 * @example
 * const signer = toEvmSigner(privateKey)
 * const raw = await signer.signTransaction({ chainId: 8453, to, value: 1n, gas: 21000n, maxFeePerGas, maxPriorityFeePerGas })
 */
export function toEvmSigner(privateKey: Uint8Array): EvmSigner {
  const address = evmAddressFromPrivateKey(privateKey)
  return {
    address,
    async signTransaction(tx) {
      if (privateKey.every((byte) => byte === 0)) {
        throw new BursarError('INTERNAL', 'EVM signer used after its key was wiped (outside withEvmKeys)')
      }
      if (tx.chainId === undefined || !Number.isSafeInteger(tx.chainId) || tx.chainId <= 0) {
        throw new BursarError(
          'VALIDATION_FAILED',
          'refusing to sign an EVM transaction without a chain id: it could be replayed on any chain',
        )
      }
      return signEvmTransaction(privateKey, tx)
    },
  }
}
