/** Opens a SealedSeed with the master key into a Keystore that holds only the data key in memory. */
import { BursarError } from '@bursar/core/errors'
import type { HDKey } from '@scure/bip32'
import { entropyToMnemonic } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'
import type { Address } from 'viem'
import { evmAddressFromPublicKey } from '../evm/evmAddressFromPublicKey.ts'
import { type EvmSigner, toEvmSigner } from '../evm/toEvmSigner.ts'
import { dekAdditionalData, seedAdditionalData } from './additionalData.ts'
import { assertMasterKey } from './assertMasterKey.ts'
import { assertSealedSeed } from './assertSealedSeed.ts'
import { decryptAesGcm } from './decryptAesGcm.ts'
import { deriveHdKey } from './deriveHdKey.ts'
import { deriveKek } from './deriveKek.ts'
import { assertEvmIndex, evmAccountPath, evmPath } from './evmPath.ts'
import type { SealedSeed } from './SealedSeed.ts'
import { seedFromEntropy } from './seedFromEntropy.ts'
import { deriveServiceKeys, type MacPurpose } from './serviceKeys.ts'

export type Keystore = {
  keyId: string
  /** The address at m/44'/60'/0'/0/<index>; derived from the public account key and cached. */
  evmAddress(index: number): Address
  /**
   * Lends `fn` a signer for m/44'/60'/0'/0/<index>. The seed lives only while the key is derived;
   * the private key is zeroed when `fn` settles, after which the signer refuses to sign.
   */
  withEvmKeys<T>(index: number, fn: (signer: EvmSigner) => Promise<T>): Promise<T>
  /** HMAC-SHA256 (hex) of `message` under a key derived from the seed for `purpose`; the key never leaves. */
  mac(purpose: MacPurpose, message: string): string
  /** Public key (hex) of the Ed25519 key, derived from the seed, that signs audit checkpoints. */
  auditPublicKey: string
  /** Signs an audit checkpoint message with that key (hex signature). */
  signAudit(message: string): string
  /** The 24 (or 12) backup words, for `bursar keys export-backup`. A string: it cannot be zeroed. */
  exportMnemonic(): string
  /** Zeroes the data key; every later call throws. */
  close(): void
}

export type OpenKeystoreReturnType = Keystore

const wrongMasterKey = 'master key does not open the keystore (wrong BURSAR_MASTER_KEY?)'
const seedAltered = 'sealed seed failed authentication: the record was altered or its keyId changed'

/**
 * Runs argon2id once (about 0.2 s at the default cost) and decrypts the seed once to check it and to
 * keep the public account key; after that only the 32-byte data key and public keys stay in memory.
 *
 * @example
 * const keystore = await openKeystore(sealed, process.env.BURSAR_MASTER_KEY!)
 * const raw = await keystore.withEvmKeys(0, (signer) => signer.signTransaction(tx))
 */
export async function openKeystore(sealed: SealedSeed, masterKey: string): Promise<OpenKeystoreReturnType> {
  assertSealedSeed(sealed)
  assertMasterKey(masterKey)
  const { keyId } = sealed
  // Copied so that later changes to the caller's object cannot reach an open keystore.
  const seedBox = { ...sealed.seed }

  const kek = await deriveKek(masterKey, sealed.kdf)
  const unwrapped = decryptAesGcm(kek, sealed.wrappedDek, dekAdditionalData())
  kek.fill(0)
  // With AES-GCM a wrong key and a tampered box look the same; the wrong key is by far the likelier.
  if (!unwrapped) {
    throw new BursarError('MASTER_KEY_INVALID', wrongMasterKey, { details: { keyId } })
  }
  const dek = unwrapped
  let closed = false

  function withEntropy<T>(fn: (entropy: Uint8Array) => T): T {
    assertOpen()
    const entropy = decryptAesGcm(dek, seedBox, seedAdditionalData(keyId))
    if (!entropy) throw new BursarError('INTERNAL', seedAltered, { details: { keyId } })
    try {
      return fn(entropy)
    } finally {
      entropy.fill(0)
    }
  }

  function deriveFromSeed(path: string): HDKey {
    return withEntropy((entropy) => {
      const seed = seedFromEntropy(entropy)
      try {
        return deriveHdKey(seed, path)
      } finally {
        seed.fill(0)
      }
    })
  }

  // Non-hardened children of the account key have public derivation, so addresses need no seed.
  let account: HDKey
  try {
    account = deriveFromSeed(evmAccountPath).wipePrivateData()
  } catch (error) {
    dek.fill(0)
    throw error
  }
  const addresses = new Map<number, Address>()
  const service = withEntropy(deriveServiceKeys)

  function assertOpen(): void {
    if (closed) throw new BursarError('INTERNAL', 'keystore is closed', { details: { keyId } })
  }

  function evmAddress(index: number): Address {
    assertOpen()
    assertEvmIndex(index)
    let address = addresses.get(index)
    if (!address) {
      address = evmAddressFromPublicKey(account.deriveChild(index).publicKey!)
      addresses.set(index, address)
    }
    return address
  }

  return {
    keyId,
    evmAddress,
    async withEvmKeys(index, fn) {
      const expected = evmAddress(index)
      const node = deriveFromSeed(evmPath(index))
      const privateKey = node.privateKey!
      node.wipePrivateData()
      try {
        const signer = toEvmSigner(privateKey)
        // A mismatch would mean memory corruption or a derivation bug; never sign for the wrong address.
        if (signer.address !== expected) {
          throw new BursarError('INTERNAL', 'derived EVM key does not match the cached address', {
            details: { keyId, index },
          })
        }
        return await fn(signer)
      } finally {
        privateKey.fill(0)
      }
    },
    mac(purpose, message) {
      assertOpen()
      return service.mac(purpose, message)
    },
    auditPublicKey: service.auditPublicKey,
    signAudit(message) {
      assertOpen()
      return service.signAudit(message)
    },
    exportMnemonic() {
      return withEntropy((entropy) => entropyToMnemonic(entropy, wordlist))
    },
    close() {
      closed = true
      dek.fill(0)
      service.wipe()
    },
  }
}
