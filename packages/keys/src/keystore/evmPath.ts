/** The BIP44 Ethereum paths Bursar derives agent wallets on: m/44'/60'/0'/0/<index>. */
import { BursarError } from '@bursar/core/errors'

/** The parent of every agent key; its public half alone yields every address. */
export const evmAccountPath = "m/44'/60'/0'/0"

/** Checks the address index (non-hardened, so addresses can be derived without the seed). */
export function assertEvmIndex(index: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= 0x80000000) {
    throw new BursarError(
      'VALIDATION_FAILED',
      `EVM address index must be an integer in [0, 2^31), got ${index}`,
      {
        details: { index },
      },
    )
  }
}

export function evmPath(index: number): string {
  assertEvmIndex(index)
  return `${evmAccountPath}/${index}`
}
