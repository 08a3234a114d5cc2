/** The additional authenticated data of each AES-GCM box in a SealedSeed (see SealedSeed.ts). */

export function dekAdditionalData(): Uint8Array {
  return new TextEncoder().encode('bursar:dek:v1')
}

export function seedAdditionalData(keyId: string): Uint8Array {
  return new TextEncoder().encode(`bursar:seed:v1:${keyId}`)
}
