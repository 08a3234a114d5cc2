/** Bursar's configuration: defaults, then an optional JSON file (BURSAR_CONFIG), then environment variables. */
import { readFileSync } from 'node:fs'
import type { EvmNetwork } from '@bursar/core/networks'
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
  }
  /** Static USD prices for policy USD limits: asset key → micro-USD per whole unit. */
  prices: Record<string, { usdMicrosPerUnit: string; decimals: number }>
}

export type ConfigFile = Partial<Omit<BursarConfig, 'database' | 'masterKey' | 'executor'>> & {
  databaseUrl?: string
  executor?: Partial<BursarConfig['executor']>
}

export const defaultConfig = {
  host: '127.0.0.1',
  port: 8420,
  logLevel: 'info',
  bodyLimitBytes: 256 * 1024,
  executor: { enabled: true, batchSize: 100, pollIntervalMs: 250 },
} as const

export function readConfigFile(path: string | undefined): ConfigFile {
  if (!path) return {}
  return JSON.parse(readFileSync(path, 'utf8')) as ConfigFile
}

/** Networks from BURSAR_EVM_RPC_URL (+ BURSAR_EVM_CHAIN_ID, BURSAR_EVM_NETWORK) for the one-network case. */
export function networksFromEnv(env: NodeJS.ProcessEnv): EvmNetwork[] {
  const url = env.BURSAR_EVM_RPC_URL
  if (!url) return []
  return [
    {
      name: env.BURSAR_EVM_NETWORK ?? 'evm',
      family: 'evm',
      chainId: Number(env.BURSAR_EVM_CHAIN_ID ?? 1),
      rpcUrls: [url],
      nativeSymbol: env.BURSAR_EVM_NATIVE_SYMBOL ?? 'ETH',
      nativeDecimals: 18,
      confirmations: Number(env.BURSAR_EVM_CONFIRMATIONS ?? 2),
      tokens: [],
    },
  ]
}
