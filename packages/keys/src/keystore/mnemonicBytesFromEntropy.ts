/** Builds the English BIP39 mnemonic as UTF-8 bytes straight from the entropy, never as a string. */
import { sha256 } from '@noble/hashes/sha2.js'
import { wordlist } from '@scure/bip39/wordlists/english.js'

const encoder = new TextEncoder()
const wordBytes = wordlist.map((word) => encoder.encode(word))

/**
 * Same result as `entropyToMnemonic(entropy, wordlist)` from @scure/bip39, encoded as UTF-8 (English
 * words are ASCII, so already NFKD). A string could not be zeroed after use; these bytes can.
 *
 * @example
 * new TextDecoder().decode(mnemonicBytesFromEntropy(new Uint8Array(16))) // 'abandon abandon ... about'
 */
export function mnemonicBytesFromEntropy(entropy: Uint8Array): Uint8Array {
  if (![16, 20, 24, 28, 32].includes(entropy.length)) {
    throw new RangeError('BIP39 entropy must be 16, 20, 24, 28 or 32 bytes')
  }
  const hash = sha256(entropy)
  const wordCount = (entropy.length * 8 + entropy.length / 4) / 11
  const indices = new Uint16Array(wordCount)
  try {
    // 11 bits per word, read from entropy || checksum; the checksum (≤ 8 bits) is the top of hash[0].
    for (let bit = 0; bit < wordCount * 11; bit++) {
      const byteIndex = bit >> 3
      const byte = byteIndex < entropy.length ? entropy[byteIndex]! : hash[0]!
      const value = (byte >> (7 - (bit & 7))) & 1
      const word = Math.floor(bit / 11)
      indices[word] = (indices[word]! << 1) | value
    }
    let length = wordCount - 1
    for (const index of indices) length += wordBytes[index]!.length
    const out = new Uint8Array(length)
    let offset = 0
    for (const [position, index] of indices.entries()) {
      if (position > 0) out[offset++] = 0x20
      out.set(wordBytes[index]!, offset)
      offset += wordBytes[index]!.length
    }
    return out
  } finally {
    hash.fill(0)
    indices.fill(0)
  }
}
