/** bursar serve: production mode — PostgreSQL from DATABASE_URL, configured RPCs, no local chain. */

import type { NetworkInfo } from '@bursar/core/chains'
import { isBursarError } from '@bursar/core/errors'
import { defaultConfig, networksFromEnv, readConfigFile, validateNetworks } from '@bursar/server/config'
import { startBursar } from '@bursar/server/start'
import { CliError } from '../output.ts'

export async function serveCommand(options: {
  port?: number | undefined
  config?: string | undefined
}): Promise<void> {
  let file: ReturnType<typeof readConfigFile>
  try {
    file = readConfigFile(options.config ?? process.env.BURSAR_CONFIG)
  } catch (error) {
    if (isBursarError(error)) throw new CliError(error.code, error.message)
    throw error
  }
  const databaseUrl = process.env.DATABASE_URL ?? file.databaseUrl
  const masterKey = process.env.BURSAR_MASTER_KEY
  const problems: string[] = []
  if (!databaseUrl)
    problems.push(
      'DATABASE_URL is not set (a PostgreSQL connection string, e.g. postgres://bursar@db:5432/bursar)',
    )
  if (!masterKey)
    problems.push(
      'BURSAR_MASTER_KEY is not set (the secret that unlocks the sealed master seed; keep it out of the database)',
    )
  else if (masterKey.length < 16)
    problems.push('BURSAR_MASTER_KEY is too short (use at least 16 characters; 32 random bytes is better)')
  const configured: unknown[] = [...(file.networks ?? []), ...networksFromEnv(process.env)]
  let networks: NetworkInfo[] = []
  if (configured.length === 0) {
    problems.push(
      'no networks: set BURSAR_EVM_RPC_URL and BURSAR_EVM_CHAIN_ID, or list networks in the BURSAR_CONFIG file',
    )
  } else {
    try {
      networks = validateNetworks(configured)
    } catch (error) {
      if (!isBursarError(error)) throw error
      problems.push(...((error.details.issues as string[] | undefined) ?? [error.message]))
    }
  }
  if (problems.length > 0) {
    throw new CliError('CONFIG_INVALID', `bursar serve cannot start:\n  - ${problems.join('\n  - ')}`)
  }
  const bursar = await startBursar({
    ...defaultConfig,
    ...file,
    executor: { ...defaultConfig.executor, ...file.executor },
    host: process.env.HOST ?? file.host ?? defaultConfig.host,
    port: options.port ?? Number(process.env.PORT ?? file.port ?? defaultConfig.port),
    logLevel: process.env.LOG_LEVEL ?? file.logLevel ?? defaultConfig.logLevel,
    database: { kind: 'postgres', url: databaseUrl! },
    masterKey: masterKey!,
    networks,
    prices: file.prices ?? {},
    operatorToken: process.env.BURSAR_OPERATOR_TOKEN,
    auditCheckpointFile: process.env.BURSAR_AUDIT_CHECKPOINT_FILE ?? file.auditCheckpointFile,
    redisUrl: process.env.REDIS_URL ?? file.redisUrl,
    sealExisting: process.env.BURSAR_SEAL_EXISTING === '1',
  })
  await new Promise<void>((resolve) => {
    const stop = () => void bursar.close().then(resolve)
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
