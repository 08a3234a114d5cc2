/** Dry-runs a transaction before it is signed: surfaces reverts and missing funds, and sizes the gas limit. */
import { BursarError } from '@bursar/core/errors'
import type { EvmNetwork } from '@bursar/core/networks'
import { type Address, type Hex, isHex } from 'viem'
import type { EvmClient } from '../createEvmClient.ts'
import { decodeRevertReason } from '../errors/decodeRevertReason.ts'
import { errorChain, errorName } from '../errors/errorChain.ts'
import { nodeMessage } from '../errors/nodeMessage.ts'
import { isTransportError, rpcUnavailableError } from '../errors/rpcUnavailableError.ts'

export type SimulateParameters = { from: Address; to: Address; value: bigint; data?: Hex }
export type SimulateReturnType = { gas: bigint }

/**
 * Runs eth_call (which reports the revert data) then eth_estimateGas, adds a 20% margin, and checks the
 * sender can pay `value + gas * maxFeePerGas`, which is what the node demands before it accepts the tx.
 */
export async function simulate(
  client: EvmClient,
  call: SimulateParameters,
  fees: { maxFeePerGas: bigint },
): Promise<SimulateReturnType> {
  const { network, publicClient } = client
  const request = {
    account: call.from,
    to: call.to,
    value: call.value,
    ...(call.data ? { data: call.data } : {}),
  }
  let estimated: bigint
  let balance: bigint
  try {
    // Independent reads: in parallel (and, with a batching transport, in one HTTP request).
    const [, gasEstimate, senderBalance] = await Promise.all([
      publicClient.call(request),
      publicClient.estimateGas(request),
      publicClient.getBalance({ address: call.from }),
    ])
    estimated = gasEstimate
    balance = senderBalance
  } catch (error) {
    throw simulationError(network, error)
  }
  const withMargin = (estimated * 12n) / 10n
  const gas = withMargin > 21_000n ? withMargin : 21_000n
  const required = call.value + gas * fees.maxFeePerGas
  if (balance < required) {
    throw new BursarError(
      'INSUFFICIENT_FUNDS',
      `${call.from} holds ${balance} wei on network ${network.name} but needs ${required} (value + gas at the max fee)`,
      {
        details: {
          network: network.name,
          address: call.from,
          balance: `${balance}`,
          required: `${required}`,
        },
      },
    )
  }
  return { gas }
}

function simulationError(network: EvmNetwork, error: unknown): BursarError {
  if (isTransportError(error)) return rpcUnavailableError(network, error)
  const message = nodeMessage(error)
  const chain = errorChain(error)
  if (
    chain.some((link) => errorName(link) === 'InsufficientFundsError') ||
    /insufficient funds/i.test(message)
  ) {
    return new BursarError(
      'INSUFFICIENT_FUNDS',
      `Insufficient funds on network ${network.name}: ${message}`,
      {
        details: { network: network.name },
      },
    )
  }
  const data = revertData(chain)
  const reverted =
    chain.some((link) => errorName(link) === 'ExecutionRevertedError') || /revert/i.test(message)
  if (data !== undefined || reverted) {
    return new BursarError(
      'SIMULATION_REVERTED',
      `Simulation on network ${network.name} ${decodeRevertReason(data)}`,
      {
        details: { network: network.name, data: data ?? '0x' },
      },
    )
  }
  return new BursarError('VALIDATION_FAILED', `Network ${network.name} rejected the call: ${message}`, {
    details: { network: network.name },
  })
}

// Nodes put revert data in `error.data`, some (Hardhat, older Ganache) one level deeper in `data.data`.
function revertData(chain: unknown[]): Hex | undefined {
  for (const link of chain) {
    if (typeof link !== 'object' || link === null || !('data' in link)) continue
    const data = link.data
    if (isHex(data)) return data
    if (typeof data === 'object' && data !== null && 'data' in data && isHex(data.data)) return data.data
  }
  return undefined
}
