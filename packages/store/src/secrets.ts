/** Bearer secrets (agent API keys, owner tokens): 256 random bits, a visible prefix, stored only as a SHA-256 hash. */
import { createHash, randomBytes } from 'node:crypto'

export type SecretKind = 'agent_key' | 'owner_token'

const prefixes: Record<SecretKind, string> = { agent_key: 'bsr_', owner_token: 'bsr_owner_' }

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

export function secretKind(secret: string): SecretKind | undefined {
  if (secret.startsWith(prefixes.owner_token)) return 'owner_token'
  if (secret.startsWith(prefixes.agent_key)) return 'agent_key'
  return undefined
}
