/** Bursar's configuration: defaults, then an optional JSON file (BURSAR_CONFIG), then environment variables. */
import { readFileSync } from 'node:fs'
import { BursarError } from '@bursar/core/errors'
import { type EvmNetwork, networksSchema } from '@bursar/core/networks'
import type { CreateDbParameters } from '@bursar/store'

export type BursarConfig = {
  host: string
  port: number
  database: CreateDbParameters
  /** Unlocks the sealed master seed; never logged. */
  masterKey: string
  networks: EvmNetwork[]
  logLevel: string
  bodyLimitBytes: number
  executor: {
    enabled: boolean
    /** Most intents one executor signs per wallet and round. */
    batchSize: number
    pollIntervalMs: number
    /** How long an allowed decision authorises signing (default 15 minutes); later it fails DECISION_EXPIRED. */
    decisionTtlSeconds: number
  }
  /** Static USD prices for policy USD limits: asset key → micro-USD per whole unit. */
  prices: Record<string, { usdMicrosPerUnit: string; decimals: number }>
  /**
   * Bearer token for /readyz and /metrics (operational data stays off the public API). Unset: those answer 401.
   * Never logged.
   */
  operatorToken?: string | undefined
  /** Also append every signed audit checkpoint to this file (JSON lines), for auditors to keep outside the database. */
  auditCheckpointFile?: string | undefined
  /**
   * Seal what a database from before sealed decisions holds (policy versions, waiting intents, the audit head) as it
   * stands, at start. Trust on upgrade, so never implied by database state (which a database writer controls): set it
   * once after upgrading, having checked the data. 'on-upgrade' (bursar dev, whose database is its own directory):
   * only when this process applied the migration.
   */
  sealExisting?: boolean | 'on-upgrade' | undefined
}

export type ConfigFile = Partial<
  Omit<BursarConfig, 'database' | 'masterKey' | 'executor' | 'operatorToken'>
> & {
  databaseUrl?: string
  executor?: Partial<BursarConfig['executor']>
}

export const defaultConfig = {
  host: '127.0.0.1',
  port: 8420,
  logLevel: 'info',
  bodyLimitBytes: 256 * 1024,
  executor: { enabled: true, batchSize: 100, pollIntervalMs: 250, decisionTtlSeconds: 900 },
} as const

export function readConfigFile(path: string | undefined): ConfigFile {
  if (!path) return {}
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new BursarError('CONFIG_INVALID', `cannot read the config file ${path}`, { cause: error })
  }
  try {
    return JSON.parse(text) as ConfigFile
  } catch (error) {
    throw new BursarError('CONFIG_INVALID', `the config file ${path} is not valid JSON`, { cause: error })
  }
}

/**
 * Networks from BURSAR_EVM_RPC_URL with BURSAR_EVM_CHAIN_ID (required: a chain id is never assumed), and optionally
 * BURSAR_EVM_NETWORK and BURSAR_EVM_CONFIRMATIONS, for the one-network case. Values are checked by validateNetworks.
 */
export function networksFromEnv(env: NodeJS.ProcessEnv): unknown[] {
  const url = env.BURSAR_EVM_RPC_URL
  if (!url) return []
  const number = (value: string | undefined) =>
    value === undefined || value === '' ? undefined : Number(value)
  return [
    {
      name: env.BURSAR_EVM_NETWORK ?? 'evm',
      family: 'evm',
      chainId: number(env.BURSAR_EVM_CHAIN_ID),
      rpcUrls: [url],
      nativeSymbol: env.BURSAR_EVM_NATIVE_SYMBOL ?? 'ETH',
      nativeDecimals: 18,
      confirmations: number(env.BURSAR_EVM_CONFIRMATIONS) ?? 2,
      tokens: [],
    },
  ]
}

/**
 * Checks every network before anything starts: names the asset grammar can express, unique names, numeric chain
 * ids and confirmation depths, valid token entries. Throws CONFIG_INVALID naming each problem and where it is.
 */
export function validateNetworks(networks: unknown): EvmNetwork[] {
  const parsed = networksSchema.safeParse(networks)
  if (parsed.success) return parsed.data as EvmNetwork[]
  const issues = parsed.error.issues.map((issue) => {
    const [index, ...rest] = issue.path
    const network = (networks as Array<{ name?: unknown }>)[index as number]
    const name = typeof network?.name === 'string' ? ` "${network.name}"` : ''
    const field = rest.length > 0 ? rest.join('.') : 'network'
    const value = issue.path.reduce<unknown>(
      (node, key) =>
        node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined,
      networks,
    )
    const message = issue.code === 'invalid_type' && value === undefined ? 'is required' : issue.message
    return `networks[${String(index)}]${name}: ${field} ${message}`
  })
  throw new BursarError(
    'CONFIG_INVALID',
    `the network configuration is invalid:\n  - ${issues.join('\n  - ')}`,
    {
      details: { issues },
    },
  )
}
