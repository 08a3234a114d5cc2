/** Where the CLI finds Bursar and its credentials: flags, then environment, then the dev stack's .bursar/ files. */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type BursarClient, createBursarClient, createOwnerClient, type OwnerClient } from '@bursar/sdk'
import { CliError } from './output.ts'

export type ConnectionOptions = {
  url?: string | undefined
  token?: string | undefined
  apiKey?: string | undefined
  dataDir?: string | undefined
}

function readDevFile(dataDir: string, name: string): string | undefined {
  const path = join(dataDir, name)
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined
}

function baseUrl(options: ConnectionOptions): string {
  return (
    options.url ??
    process.env.BURSAR_URL ??
    readDevFile(options.dataDir ?? '.bursar', 'url') ??
    'http://127.0.0.1:8420'
  )
}

/** The owner credential: a service token (`bsr_owner_…`) or a person's session (`bsr_ses_…`, from `bursar login`). */
export function ownerToken(options: ConnectionOptions): string {
  const token =
    options.token ??
    process.env.BURSAR_OWNER_TOKEN ??
    readDevFile(options.dataDir ?? '.bursar', 'owner-token')
  if (!token)
    throw new CliError(
      'UNAUTHENTICATED',
      'no owner token: pass --token, set BURSAR_OWNER_TOKEN, or run `bursar dev` first',
    )
  return token
}

export function ownerClient(options: ConnectionOptions): OwnerClient {
  return createOwnerClient({ url: baseUrl(options), token: ownerToken(options) })
}

/** A client without a credential, for logging in. */
export function signInClient(options: ConnectionOptions): OwnerClient {
  return createOwnerClient({ url: baseUrl(options) })
}

export function agentClient(options: ConnectionOptions): BursarClient {
  const apiKey = options.apiKey ?? process.env.BURSAR_API_KEY
  if (!apiKey) throw new CliError('UNAUTHENTICATED', 'no agent API key: pass --api-key or set BURSAR_API_KEY')
  return createBursarClient({ url: baseUrl(options), apiKey })
}
