/** Checks an EVM address the way wallets do: a mixed-case address must carry a valid EIP-55 checksum. */
import { checksumAddress } from 'viem'

export type IsValidEvmAddressOptions = {
  /** Also reject all-lowercase and all-uppercase addresses, which carry no checksum at all. */
  requireChecksum?: boolean
}

/**
 * @example
 * isValidEvmAddress('0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266') // true
 * isValidEvmAddress('0xF39fd6e51aad88f6f4ce6ab8827279cfffb92266') // false: mixed case, wrong checksum
 */
export function isValidEvmAddress(address: string, options: IsValidEvmAddressOptions = {}): boolean {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) return false
  const hex = address.slice(2)
  const uniformCase = hex === hex.toLowerCase() || hex === hex.toUpperCase()
  if (uniformCase && !options.requireChecksum) return true
  // A typo in a mixed-case address breaks its checksum; that is the whole point of EIP-55.
  return checksumAddress(`0x${hex.toLowerCase()}`) === address
}
