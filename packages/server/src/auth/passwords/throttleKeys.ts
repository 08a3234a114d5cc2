/** The keys a login attempt is counted under by the throttle: one for the account, one for where it came from. */
import { createHash } from 'node:crypto'
import { isIPv4, isIPv6 } from 'node:net'
import { BursarError } from '@bursar/core/errors'

export type ThrottleKeysParameters = {
  /** The account the email belongs to, when there is one. */
  accountId?: string | undefined
  /** As typed at login. */
  email: string
  /** The client's address as the server sees it (Fastify's `request.ip`): IPv4, IPv6, or IPv4-mapped IPv6. */
  sourceAddress: string
}

export type ThrottleKeysReturnType = {
  /** `account:<id>`, or `email:<sha-256 hex>` when no account has that email. */
  account: string
  /** `ip:203.0.113.7`, or the /64 of an IPv6 address: `ip:2001:db8:0:1::/64`. */
  source: string
}

/**
 * The account key follows the account id, so a changed email does not reset its count. An email with no account
 * is counted too, under the same schedule (the store's beginLoginAttempt, the one copy): a throttle that only ever
 * applied to real accounts would tell anyone who fails past the free attempts which emails have accounts. It is
 * case-folded (like the unique index on accounts) and stored as a SHA-256, not for secrecy (an email is easy to
 * guess) but so the throttle table holds neither the addresses of people who have no account nor attacker-chosen
 * strings of any length.
 *
 * An IPv4 address is its own key. An IPv6 address is counted by its /64: a home or a single host is handed at
 * least a whole /64 (RFC 6177), so counting single addresses would give an attacker 2^64 fresh counters.
 * IPv4-mapped IPv6 (`::ffff:192.0.2.1`, how a dual-stack socket reports an IPv4 client) is keyed as the IPv4 address
 * it is, and a zone (`fe80::1%eth0`) is dropped. Behind a reverse proxy the address is only the client's if the
 * server trusts that proxy's forwarding header; otherwise every login shares the proxy's key.
 *
 * Pure. Throws INTERNAL (without quoting it) when `sourceAddress` is not an IP address: taken as a key of its own,
 * every made-up value would be a fresh counter.
 *
 * @example
 * throttleKeys({ accountId: 'acc_1', email: 'Alice@Example.com', sourceAddress: '2001:db8:0:1:a:b:c:d' })
 * // { account: 'account:acc_1', source: 'ip:2001:db8:0:1::/64' }
 */
export function throttleKeys(parameters: ThrottleKeysParameters): ThrottleKeysReturnType {
  const { accountId, email, sourceAddress } = parameters
  const folded = email.normalize('NFKC').trim().toLowerCase()
  return {
    account:
      accountId === undefined
        ? `email:${createHash('sha256').update(folded, 'utf8').digest('hex')}`
        : `account:${accountId}`,
    source: `ip:${sourcePrefix(sourceAddress)}`,
  }
}

function sourcePrefix(address: string): string {
  const bare = typeof address === 'string' ? address.replace(/%.*$/s, '') : ''
  if (isIPv4(bare)) return bare
  if (!isIPv6(bare))
    throw new BursarError('INTERNAL', 'login throttle: the source address is not an IP address')
  const groups = hextets(bare)
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    const [high, low] = [groups[6]!, groups[7]!]
    return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`
  }
  // Hextets without leading zeros and the lower half written as `::`: one spelling per /64, however it was typed.
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`
}

/** The eight 16-bit groups of an address that isIPv6 accepted. */
function hextets(address: string): number[] {
  // A dotted IPv4 tail (`::ffff:192.0.2.1`, `64:ff9b::192.0.2.1`) is the last two groups.
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address)
  let text = address
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number]
    text = `${address.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const parse = (part: string) =>
    part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16))
  // isIPv6 allows at most one `::`, standing for as many zero groups as are missing.
  const [head = '', rest] = text.split('::')
  const left = parse(head)
  const right = rest === undefined ? [] : parse(rest)
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right]
}
