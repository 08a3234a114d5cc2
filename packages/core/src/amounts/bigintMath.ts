/** Math.min and Math.max for bigints (Math's own take numbers only). */

export function minBigInt(a: bigint, b: bigint): bigint {
  return a < b ? a : b
}

export function maxBigInt(a: bigint, b: bigint): bigint {
  return a > b ? a : b
}
