/** What request handlers and workers share: database, keystore, chain adapters, logger, metrics. */
import type { EvmAdapter } from '@bursar/chains/evm'
import type { EvmNetwork } from '@bursar/core/networks'
import type { Keystore } from '@bursar/keys/keystore'
import type { Db } from '@bursar/store'
import type { BursarConfig } from './config.ts'
import type { Logger } from './logger.ts'
import type { Metrics } from './metrics.ts'

export type NetworkEntry = {
  network: EvmNetwork
  adapter: EvmAdapter
  /** "evm:<chain id>": networks on one chain share nonce counters. */
  chainKey: string
  /** Names of every configured network on the same chain (this one included). */
  sameChain: string[]
  /** Fee cap per transaction for policies that set none. */
  defaultFeeCap: bigint
  /** Resolves once every RPC of the network reported the configured chain id (checked once, retried on failure). */
  ensureChainId(): Promise<void>
}

export type ServerContext = {
  config: BursarConfig
  db: Db
  keystore: Keystore
  networks: Map<string, NetworkEntry>
  logger: Logger
  metrics: Metrics
  /** Tells the local executor there is work, so it does not wait for its next poll. */
  wakeExecutor(): void
}
