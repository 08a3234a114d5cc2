/** What one source address is, for rate limiting: an IPv4 address, or the /64 an IPv6 address belongs to. */
import { isIPv6 } from 'node:net'

/**
 * One IPv6 host is usually given a whole /64, and can pick any address in it: limiting each /128 would limit nothing.
 * IPv4-mapped addresses (`::ffff:192.0.2.1`) are their IPv4 address.
 *
 * @example addressKey('2001:db8:1:2:aaaa::1') // '2001:db8:1:2::/64'
 */
export function addressKey(ip: string): string {
  if (!isIPv6(ip)) return ip
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped) return mapped[1]!
  const [head = '', tail = ''] = ip.toLowerCase().split('%')[0]!.split('::')
  const left = head === '' ? [] : head.split(':')
  const right = tail === '' ? [] : tail.split(':')
  const groups = ip.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`
}
