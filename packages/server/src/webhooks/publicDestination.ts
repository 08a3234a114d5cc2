/**
 * SSRF guard for webhooks: an organisation admin chooses the URL, so a delivery must not reach the Bursar host's own
 * network (loopback, private and link-local ranges, cloud metadata at 169.254.169.254) unless the operator allows
 * it. The host name is resolved at send time and every address it resolves to is checked.
 */
import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'

const blocked = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(network, prefix, 'ipv4')
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['::', 96],
  ['64:ff9b::', 96],
  ['fec0::', 10],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(network, prefix, 'ipv6')

/** True for an address outside the public internet. IPv4-mapped IPv6 addresses are judged by their IPv4 part. */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]
  if (mapped !== undefined) return blocked.check(mapped, 'ipv4')
  const family = isIP(address)
  if (family === 0) return true
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

/** Why the URL's host may not receive deliveries, or undefined when every address it resolves to is public. */
export async function nonPublicDestination(url: string): Promise<string | undefined> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '')
  let addresses: string[]
  try {
    addresses = isIP(host) !== 0 ? [host] : (await lookup(host, { all: true })).map((entry) => entry.address)
  } catch {
    return 'the host name does not resolve'
  }
  return addresses.some(isNonPublicAddress)
    ? 'the host resolves to a loopback, private or link-local address (allowPrivateNetworks is off)'
    : undefined
}
