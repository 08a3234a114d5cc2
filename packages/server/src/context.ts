/** What request handlers and workers share: database, keystore, chain adapters, logger, metrics. */
import type { ChainAdapter, ChainFamily } from '@bursar/core/chains'
import type { Keystore } from '@bursar/keys/keystore'
import type { Db } from '@bursar/store'
import type { BursarConfig } from './config.ts'
import type { AuditTail } from './events/createAuditTail.ts'
import type { Logger } from './logger.ts'
import type { Metrics } from './metrics.ts'

/** Who holds the keys of a chain family: the keystore, unless the family brings its own (an HSM, a threshold group). */
export type SignerProvider = Pick<Keystore, 'publicKey' | 'withSigner'>

export type NetworkEntry = {
  adapter: ChainAdapter
  signers: SignerProvider
  /** Names of every configured network on the same chain (this one included): they share sequence counters. */
  sameChain: string[]
  /** Resolves once the RPC serves the configured chain (checked once, retried on failure). */
  ensureChain(): Promise<void>
}

/** A chain family the instance serves, and who signs for it. */
export type FamilyEntry = { family: ChainFamily; signers: SignerProvider; adapter: ChainAdapter }

export type ServerContext = {
  config: BursarConfig
  db: Db
  keystore: Keystore
  networks: Map<string, NetworkEntry>
  /** One entry per family of the configured networks: wallets are created for each. */
  families: Map<string, FamilyEntry>
  logger: Logger
  metrics: Metrics
  /** The audit log's tail, read once for every live event stream of this process. */
  auditTail: AuditTail
  /** Tells the local executor there is work, so it does not wait for its next poll. */
  wakeExecutor(): void
  /**
   * Named points on the execution path where a crash would hurt most (after signing, around broadcasting, before
   * settling). Unset in production; the crash test's processes set it to kill themselves there at random.
   */
  faultPoint?: (point: FaultPoint) => void
}

type FaultPoint = 'before_broadcast' | 'after_broadcast' | 'after_version_signed' | 'before_settle'
