/** The additional authenticated data of each AES-GCM box in a SealedSeed or a SealedSecret (see their files). */

export function dekAdditionalData(): Uint8Array {
  return new TextEncoder().encode('bursar:dek:v1')
}

export function seedAdditionalData(keyId: string): Uint8Array {
  return new TextEncoder().encode(`bursar:seed:v1:${keyId}`)
}

/** The purpose has no colon, so everything after it is the record id: two (purpose, id) pairs never collide. */
export function secretAdditionalData(purpose: string, id: string): Uint8Array {
  return new TextEncoder().encode(`bursar:secret:v1:${purpose}:${id}`)
}
