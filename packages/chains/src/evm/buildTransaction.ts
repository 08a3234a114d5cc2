/** Assembles the unsigned EIP-1559 transaction a signer signs; pure, so it can be checked before signing. */
import { BursarError } from '@bursar/core/errors'
import type { EvmNetwork } from '@bursar/core/networks'
import type { Address, Hex, TransactionSerializableEIP1559 } from 'viem'

export type BuildTransactionParameters = {
  to: Address
  value: bigint
  data?: Hex
  nonce: number
  gas: bigint
  maxFeePerGas: bigint
  maxPriorityFeePerGas: bigint
}

/**
 * @example
 * const tx = buildTransaction(network, { to, value: 1n, nonce: 0, gas: 21_000n, ...(await adapter.estimateFees()) })
 * const signed = await account.signTransaction(tx)
 */
export function buildTransaction(
  network: EvmNetwork,
  parameters: BuildTransactionParameters,
): TransactionSerializableEIP1559 {
  const { to, value, data, nonce, gas, maxFeePerGas, maxPriorityFeePerGas } = parameters
  // Nodes reject this too, but only after it was signed and audited as sent.
  if (maxPriorityFeePerGas > maxFeePerGas) {
    throw new BursarError('VALIDATION_FAILED', 'maxPriorityFeePerGas must not exceed maxFeePerGas', {
      details: { network: network.name },
    })
  }
  return {
    type: 'eip1559',
    chainId: network.chainId,
    to,
    value,
    nonce,
    gas,
    maxFeePerGas,
    maxPriorityFeePerGas,
    ...(data === undefined ? {} : { data }),
  }
}
