/** bursar key create|list|revoke|rotate — agent API keys, managed by the owner. */
import { type ConnectionOptions, ownerTransport, request } from '../connection.ts'
import { CliError, type Output, print } from '../output.ts'

type Key = {
  id: string
  prefix: string
  name: string | null
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
  secret?: string
}

export async function keyCommand(
  sub: string | undefined,
  args: string[],
  options: ConnectionOptions & Output,
) {
  const transport = ownerTransport(options)
  const [agentId, keyId] = args
  if (!agentId) throw new CliError('USAGE', 'usage: bursar key create|list|revoke|rotate <agent id> [key id]')
  const base = `v1/agents/${encodeURIComponent(agentId)}/keys`
  switch (sub) {
    case 'create': {
      const key = await request<Key>(transport, 'POST', base, { body: {} })
      return print(options, key, () => `${key.id}\n${key.secret}\nshown once: store it now`)
    }
    case 'list': {
      const { data } = await request<{ data: Key[] }>(transport, 'GET', base)
      return print(options, data, () =>
        data
          .map(
            (k) =>
              `${k.id}  ${k.prefix}…  ${k.revoked_at ? 'revoked' : 'active '}  last used ${k.last_used_at ?? 'never'}`,
          )
          .join('\n'),
      )
    }
    case 'revoke': {
      if (!keyId) throw new CliError('USAGE', 'usage: bursar key revoke <agent id> <key id>')
      const key = await request<Key>(transport, 'DELETE', `${base}/${encodeURIComponent(keyId)}`)
      return print(options, key, () => `${key.id} revoked at ${key.revoked_at}`)
    }
    case 'rotate': {
      if (!keyId) throw new CliError('USAGE', 'usage: bursar key rotate <agent id> <key id>')
      const key = await request<Key>(transport, 'POST', `${base}/${encodeURIComponent(keyId)}/rotate`)
      return print(
        options,
        key,
        () => `${keyId} revoked; new key ${key.id}\n${key.secret}\nshown once: store it now`,
      )
    }
    default:
      throw new CliError('USAGE', 'usage: bursar key create|list|revoke|rotate <agent id> [key id]')
  }
}
