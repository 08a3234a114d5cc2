/** bursar key create|list|revoke|rotate — agent API keys, managed by the owner. */
import { type ConnectionOptions, ownerClient } from '../connection.ts'
import { type Output, print } from '../output.ts'

export type KeyOptions = ConnectionOptions & Output

export async function keyCreateCommand(agentId: string, options: KeyOptions) {
  const key = await ownerClient(options).createKey(agentId)
  print(options, key, () => `${key.id}\n${key.secret}\nshown once: store it now`)
}

export async function keyListCommand(agentId: string, options: KeyOptions) {
  const { data } = await ownerClient(options).listKeys(agentId)
  print(options, data, () =>
    data
      .map(
        (k) =>
          `${k.id}  ${k.prefix}…  ${k.revoked_at ? 'revoked' : 'active '}  last used ${k.last_used_at ?? 'never'}`,
      )
      .join('\n'),
  )
}

export async function keyRevokeCommand(agentId: string, keyId: string, options: KeyOptions) {
  const key = await ownerClient(options).revokeKey(agentId, keyId)
  print(options, key, () => `${key.id} revoked at ${key.revoked_at}`)
}

export async function keyRotateCommand(agentId: string, keyId: string, options: KeyOptions) {
  const key = await ownerClient(options).rotateKey(agentId, keyId)
  print(options, key, () => `${keyId} revoked; new key ${key.id}\n${key.secret}\nshown once: store it now`)
}
