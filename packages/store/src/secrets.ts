/**
 * Bearer secrets (agent API keys, service tokens, sessions, invitations): 256 random bits, a visible prefix, stored only
 * as a SHA-256 hash.
 */
import { createHash, randomBytes } from 'node:crypto'

export type SecretKind = 'agent_key' | 'service_token' | 'session' | 'invitation'

const prefixes: Record<SecretKind, string> = {
  agent_key: 'bsr_',
  // Kept from when these were owner tokens, so tokens issued then still parse.
  service_token: 'bsr_owner_',
  session: 'bsr_ses_',
  invitation: 'bsr_inv_',
}

// 32 bytes in base64url, unpadded.
const randomLength = 43

export type NewSecret = { secret: string; prefix: string; hash: string }

/** The full secret is returned once; only `prefix` (for display) and `hash` are stored. */
export function newSecret(kind: SecretKind): NewSecret {
  const secret = `${prefixes[kind]}${randomBytes(32).toString('base64url')}`
  return { secret, prefix: secret.slice(0, prefixes[kind].length + 8), hash: hashSecret(secret) }
}

// A fast hash is right here: the secret has 256 bits of entropy, so there is nothing to brute-force.
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex')
}

/**
 * Which kind a presented secret claims to be. Sessions and invitations are told by prefix and exact length: an agent
 * key is `bsr_` and 43 random characters, which may themselves begin with `ses_`, but is never as long as a session.
 */
export function secretKind(secret: string): SecretKind | undefined {
  for (const kind of ['session', 'invitation'] as const) {
    if (secret.length === prefixes[kind].length + randomLength && secret.startsWith(prefixes[kind]))
      return kind
  }
  if (secret.startsWith(prefixes.service_token)) return 'service_token'
  if (secret.startsWith(prefixes.agent_key)) return 'agent_key'
  return undefined
}
