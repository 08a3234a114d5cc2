/** Bursar's configuration: defaults, then an optional JSON file (BURSAR_CONFIG), then environment variables. */
import { readFileSync } from 'node:fs'
import { evmFamily } from '@bursar/chains/evm'
import type { ChainFamily, NetworkInfo } from '@bursar/core/chains'
import { BursarError } from '@bursar/core/errors'
import type { CreateDbParameters } from '@bursar/store'
import { z } from 'zod'

/** The families a stock Bursar serves when the embedder registers none. */
const builtInFamilies: ReadonlyMap<string, ChainFamily<NetworkInfo>> = new Map([
  [evmFamily.family, evmFamily as ChainFamily<NetworkInfo>],
])

export type BursarConfig = {
  host: string
  port: number
  database: CreateDbParameters
  /** Unlocks the sealed master seed; never logged. */
  masterKey: string
  /** Network definitions, each checked by its family at start (validateNetworks). */
  networks: readonly unknown[]
  logLevel: string
  bodyLimitBytes: number
  executor: {
    enabled: boolean
    /** Most intents one executor signs per wallet and round. */
    batchSize: number
    pollIntervalMs: number
    /** How long an allowed decision authorises signing (default 15 minutes); later it fails DECISION_EXPIRED. */
    decisionTtlSeconds: number
    /**
     * A signed transaction claimed for broadcasting is left to the executor that claimed it this long (default 30):
     * then, if that one died before recording the send, another sends it (sending again is harmless).
     */
    broadcastLeaseSeconds: number
    /** A transaction the node no longer knows is sent again (the same signed bytes) after this long (default 15). */
    rebroadcastAfterSeconds: number
    /**
     * A transaction the node holds but has not mined this long after it was sent is replaced at its nonce with both
     * fees 10 % higher, never above the fee reserved for it (default 60).
     */
    replaceAfterSeconds: number
    /**
     * An intent in doubt (its transaction refused, or dropped and refused again) is sent again for this long before
     * Bursar settles it by cancelling: a zero-value self-transfer at its nonce, which frees nothing until mined
     * (default 30).
     */
    inDoubtGraceSeconds: number
    /**
     * When a wallet's nonce is seen used and none of the intent's transactions is mined, it is failed and its
     * reservation released only if a look this much later still agrees (a lagging node must not free it; default 10).
     */
    nonceSettleSeconds: number
    /** Confirmed intents are re-checked for reorgs until their block is this many blocks deep (default 12). */
    reorgWatchBlocks: number
    /** A refusal the node words in a way Bursar does not recognise is retried this often, then in doubt (default 8). */
    maxUnrecognisedRefusals: number
  }
  /** Static USD prices for policy USD limits: asset key → micro-USD per whole unit. */
  prices: Record<string, { usdMicrosPerUnit: string; decimals: number }>
  /**
   * Bearer token for /readyz and /metrics (operational data stays off the public API). Unset: those answer 401.
   * Never logged.
   */
  operatorToken?: string | undefined
  /**
   * The origins browsers reach this server at (`https://bursar.example.com`): cookie-authenticated requests that change
   * something must carry one of them as Origin, and passkeys are bound to the first. Unset: the origin the request's
   * Host header names, which is right for a server reached directly (`npm start` on localhost).
   */
  publicOrigins?: readonly string[] | undefined
  /**
   * The reverse proxies in front of Bursar (addresses or CIDRs, or true for any): their X-Forwarded-For and
   * X-Forwarded-Proto are believed. Required behind a proxy, or every client shares the proxy's address and one
   * person's failed logins delay everyone's. Unset: the connection's own address.
   */
  trustProxy?: boolean | string | string[] | undefined
  /**
   * Webhook deliveries may go to loopback, private and link-local addresses (receivers on the operator's own network).
   * Off by default: an organisation admin picks the URL, and must not reach the Bursar host's network through it.
   */
  webhooks?: { allowPrivateNetworks?: boolean } | undefined
  /** Also append every signed audit checkpoint to this file (JSON lines), for auditors to keep outside the database. */
  auditCheckpointFile?: string | undefined
  /**
   * Seal what a database from before sealed decisions holds (policy versions, waiting intents, the audit head) as it
   * stands, at start. Trust on upgrade, so never implied by database state (which a database writer controls): set it
   * once after upgrading, having checked the data. 'on-upgrade' (bursar dev, whose database is its own directory):
   * only when this process applied the migration.
   */
  sealExisting?: boolean | 'on-upgrade' | undefined
  /**
   * Check every JSON response against its route's schema, answering 500 when one does not match. For tests: the
   * documented shapes (OpenAPI, the SDK's types) cannot drift from what the server sends.
   */
  validateResponses?: boolean | undefined
  /**
   * HTTP request budgets, per authenticated credential and per source address (`request.ip`, so `trustProxy`
   * applies); `false` turns one off. A scope left out keeps its default. They shed load only: the money limits are
   * the policies', in the database.
   */
  rateLimits?: RateLimitsConfig | undefined
  /**
   * Redis shared by every Bursar process behind one address (`redis://[user:password@]host:port[/db]`): the rate
   * limits are then one budget for all of them. Unset: each process counts on its own. Never logged.
   */
  redisUrl?: string | undefined
}

/** At most `requests` in each window of `windowSeconds` (a fixed window, starting with the first request). */
export type RateLimitRule = { requests: number; windowSeconds: number }

export type RateLimitsConfig = {
  perCredential?: RateLimitRule | false | undefined
  perAddress?: RateLimitRule | false | undefined
  /** Prefix of the Redis keys (default `bursar:ratelimit:`), for a Redis shared with other applications. */
  redisKeyPrefix?: string | undefined
}

export type ConfigFile = Partial<
  // validateResponses is for tests: a production server must never answer 500 for a shape drift.
  Omit<BursarConfig, 'database' | 'masterKey' | 'executor' | 'operatorToken' | 'validateResponses'>
> & {
  databaseUrl?: string
  executor?: Partial<BursarConfig['executor']>
}

export const defaultConfig = {
  host: '127.0.0.1',
  port: 8420,
  logLevel: 'info',
  bodyLimitBytes: 256 * 1024,
  executor: {
    enabled: true,
    batchSize: 100,
    pollIntervalMs: 250,
    decisionTtlSeconds: 900,
    broadcastLeaseSeconds: 30,
    rebroadcastAfterSeconds: 15,
    replaceAfterSeconds: 60,
    inDoubtGraceSeconds: 30,
    nonceSettleSeconds: 10,
    reorgWatchBlocks: 12,
    maxUnrecognisedRefusals: 8,
  },
  // High enough that no well-behaved agent, dashboard or benchmark meets them; an address (an office behind one NAT)
  // gets twice a credential's.
  rateLimits: {
    perCredential: { requests: 6000, windowSeconds: 60 },
    perAddress: { requests: 12_000, windowSeconds: 60 },
  },
} as const

const rateLimitRuleSchema = z.union([
  z.literal(false),
  z.strictObject({ requests: z.int().positive(), windowSeconds: z.int().positive() }),
])
const rateLimitsFileSchema = z.strictObject({
  rateLimits: z
    .strictObject({
      perCredential: rateLimitRuleSchema.optional(),
      perAddress: rateLimitRuleSchema.optional(),
      redisKeyPrefix: z.string().optional(),
    })
    .optional(),
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
})

export function readConfigFile(path: string | undefined): ConfigFile {
  if (!path) return {}
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new BursarError('CONFIG_INVALID', `cannot read the config file ${path}`, { cause: error })
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new BursarError('CONFIG_INVALID', `the config file ${path} is not valid JSON`, { cause: error })
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new BursarError('CONFIG_INVALID', `the config file ${path} must hold a JSON object`)
  // Test-only switches are refused rather than ignored: a production server must not answer 500 on a shape drift.
  if ('validateResponses' in parsed)
    throw new BursarError(
      'CONFIG_INVALID',
      `the config file ${path} sets validateResponses, which is for tests only`,
    )
  // A mistyped limit must stop the server, not leave it unlimited; the message never repeats the Redis URL.
  const { rateLimits, redisUrl } = parsed as Record<string, unknown>
  const limits = rateLimitsFileSchema.safeParse({ rateLimits, redisUrl })
  if (!limits.success) {
    const issues = limits.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`)
    throw new BursarError('CONFIG_INVALID', `the config file ${path}: ${issues.join('; ')}`, {
      details: { issues },
    })
  }
  return parsed as ConfigFile
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
 * Checks every network before anything starts: a known family, a name the asset grammar can express, unique names,
 * then the family's own rules (for EVM: numeric chain ids and confirmation depths, valid token entries). Throws
 * CONFIG_INVALID naming each problem and where it is.
 */
export function validateNetworks(
  networks: readonly unknown[],
  families: ReadonlyMap<string, ChainFamily<NetworkInfo>> = builtInFamilies,
): NetworkInfo[] {
  const issues: string[] = []
  const valid: NetworkInfo[] = []
  const names = new Map<string, number>()
  networks.forEach((input, index) => {
    const raw = (input ?? {}) as { name?: unknown; family?: unknown }
    const label = `networks[${index}]${typeof raw.name === 'string' ? ` "${raw.name}"` : ''}`
    if (typeof raw.name === 'string') {
      const first = names.get(raw.name)
      if (first !== undefined) issues.push(`${label}: name "${raw.name}" is already network ${first}`)
      else names.set(raw.name, index)
    }
    const family = typeof raw.family === 'string' ? families.get(raw.family) : undefined
    if (family === undefined) {
      issues.push(`${label}: family must be one of ${[...families.keys()].join(', ')}`)
      return
    }
    const parsed = family.parseNetwork(input)
    if (!parsed.ok) {
      for (const issue of parsed.issues) {
        const value = issue.path
          .split('.')
          .filter((part) => part !== '')
          .reduce<unknown>(
            (node, key) =>
              node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined,
            input,
          )
        const message = value === undefined ? 'is required' : issue.message
        issues.push(`${label}: ${issue.path || 'network'} ${message}`)
      }
      return
    }
    valid.push(parsed.network)
  })
  if (issues.length > 0) {
    throw new BursarError(
      'CONFIG_INVALID',
      `the network configuration is invalid:\n  - ${issues.join('\n  - ')}`,
      {
        details: { issues },
      },
    )
  }
  return valid
}
