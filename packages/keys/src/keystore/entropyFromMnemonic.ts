/** Parses an English BIP39 mnemonic typed by a person into its entropy, without echoing the words. */
import { BursarError } from '@bursar/core/errors'
import { mnemonicToEntropy } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'

/**
 * Tolerates case and extra whitespace; rejects unknown words, a bad checksum and word counts other
 * than 12, 15, 18, 21 or 24 with VALIDATION_FAILED. The caller zeroes the returned entropy.
 *
 * @example
 * entropyFromMnemonic('abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about')
 */
export function entropyFromMnemonic(mnemonic: string): Uint8Array {
  const words = mnemonic.normalize('NFKD').trim().toLowerCase().split(/\s+/)
  try {
    return mnemonicToEntropy(words.join(' '), wordlist)
  } catch {
    // The library's message can quote the offending word, so it is not kept as the cause.
    throw new BursarError(
      'VALIDATION_FAILED',
      'mnemonic is not a valid English BIP39 phrase (12–24 words from the list, with a matching checksum)',
      { details: { wordCount: words.length } },
    )
  }
}
