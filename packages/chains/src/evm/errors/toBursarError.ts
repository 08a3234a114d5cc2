/** The last line of defence: whatever an RPC call threw leaves the adapter as a BursarError. */

import { BursarError, isBursarError } from '@bursar/core/errors'
import type { EvmNetwork } from '@bursar/core/networks'
import { nodeMessage } from './nodeMessage.ts'
import { isTransportError, rpcUnavailableError } from './rpcUnavailableError.ts'

export function toBursarError(error: unknown, network: EvmNetwork): BursarError {
  if (isBursarError(error)) return error
  if (isTransportError(error)) return rpcUnavailableError(network, error)
  return new BursarError(
    'INTERNAL',
    `Unexpected answer from the RPC of network ${network.name}: ${nodeMessage(error)}`,
    {
      details: { network: network.name, retryable: false },
    },
  )
}
