/** The EIP-55 form of an address, the one Bursar stores and shows. */
import { BursarError } from '@bursar/core/errors'
import { type Address, checksumAddress } from 'viem'
import { isValidEvmAddress } from './isValidEvmAddress.ts'

/**
 * Throws INVALID_ADDRESS for anything that is not an address, including a mixed-case address whose
 * checksum is wrong (most likely a typo).
 *
 * @example
 * toChecksumAddress('0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266') // '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'
 */
export function toChecksumAddress(address: string): Address {
  if (!isValidEvmAddress(address)) {
    throw new BursarError('INVALID_ADDRESS', `Not a valid EVM address: ${address.slice(0, 64)}`, {
      details: { address: address.slice(0, 64) },
    })
  }
  return checksumAddress(`0x${address.slice(2).toLowerCase()}`)
}
