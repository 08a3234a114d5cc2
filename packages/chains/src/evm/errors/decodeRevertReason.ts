/** Turns revert data into a sentence: Error(string), Panic(uint256), or the selector of a custom error. */
import { decodeErrorResult, type Hex, size, slice } from 'viem'

// Solidity's panic codes, https://docs.soliditylang.org/en/latest/control-structures.html#panic-via-assert-and-error-via-require
const panicReasons: Record<number, string> = {
  1: 'assertion failed',
  17: 'arithmetic underflow or overflow',
  18: 'division or modulo by zero',
  33: 'invalid enum value',
  34: 'invalid storage byte array',
  49: 'pop on an empty array',
  50: 'array index out of bounds',
  65: 'out of memory',
  81: 'call to a zero-initialized function',
}

/**
 * @example
 * decodeRevertReason('0x08c379a0…') // 'reverted: nope'
 * decodeRevertReason('0x4e487b71…11') // 'panic 0x11: arithmetic underflow or overflow'
 */
export function decodeRevertReason(data: Hex | undefined): string {
  if (data === undefined || data === '0x') return 'reverted without a reason'
  if (size(data) < 4) return `reverted with malformed data ${data}`
  try {
    const decoded = decodeErrorResult({ abi: [], data })
    if (decoded.errorName === 'Error') return `reverted: ${String(decoded.args[0])}`
    if (decoded.errorName === 'Panic') {
      const code = Number(decoded.args[0])
      return `panic 0x${code.toString(16).padStart(2, '0')}: ${panicReasons[code] ?? 'unknown panic code'}`
    }
  } catch {
    // Not Error or Panic (or malformed): fall through to the selector, which block explorers can resolve.
  }
  return `reverted with custom error ${slice(data, 0, 4)}`
}
