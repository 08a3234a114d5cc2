/** What request handlers and workers share: database, keystore, chain adapters, logger, metrics. */
import type { EvmAdapter } from '@bursar/chains/evm'
import type { EvmNetwork } from '@bursar/core/networks'
import type { Keystore } from '@bursar/keys/keystore'
import type { Db } from '@bursar/store'
import type { BursarConfig } from './config.ts'
import type { Logger } from './logger.ts'
import type { Metrics } from './metrics.ts'

export type ServerContext = {
  config: BursarConfig
  db: Db
  keystore: Keystore
  networks: Map<string, { network: EvmNetwork; adapter: EvmAdapter }>
  logger: Logger
  metrics: Metrics
  /** Tells the local executor there is work, so it does not wait for its next poll. */
  wakeExecutor(): void
}
