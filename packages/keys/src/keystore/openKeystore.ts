/** Opens a SealedSeed with the master key into a Keystore that holds only the data key in memory. */
import { BursarError } from '@bursar/core/errors'
import { entropyToMnemonic } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'
import { deriveSlip10Key } from '../signers/deriveSlip10Key.ts'
import type { Curve, Signer } from '../signers/Signer.ts'
import { toEd25519Signer } from '../signers/toEd25519Signer.ts'
import { toSecp256k1Signer } from '../signers/toSecp256k1Signer.ts'
import { dekAdditionalData, seedAdditionalData } from './additionalData.ts'
import { assertMasterKey } from './assertMasterKey.ts'
import { assertSealedSeed } from './assertSealedSeed.ts'
import { decryptAesGcm } from './decryptAesGcm.ts'
import { deriveHdKey } from './deriveHdKey.ts'
import { deriveKek } from './deriveKek.ts'
import type { SealedSecret, SecretPurpose } from './SealedSecret.ts'
import type { SealedSeed } from './SealedSeed.ts'
import { seedFromEntropy } from './seedFromEntropy.ts'
import { deriveServiceKeys, type MacPurpose, type ServiceKeys } from './serviceKeys.ts'

export type Keystore = {
  keyId: string
  /** The public key at `path` on `curve`; derived once from the seed, then cached (public keys are not secret). */
  publicKey(curve: Curve, path: string): Uint8Array
  /**
   * Lends `fn` a signer for the key at `path` on `curve` (BIP32 for secp256k1, SLIP-0010 for Ed25519). The seed
   * lives only while the key is derived; the private key is zeroed when `fn` settles, after which the signer refuses.
   */
  withSigner<T>(curve: Curve, path: string, fn: (signer: Signer) => Promise<T>): Promise<T>
  /** HMAC-SHA256 (hex) of `message` under a key derived from the seed for `purpose`; the key never leaves. */
  mac(purpose: MacPurpose, message: string): string
  /** Public key (hex) of the Ed25519 key, derived from the seed, that signs audit checkpoints. */
  auditPublicKey: string
  /** Signs an audit checkpoint message with that key (hex signature). */
  signAudit(message: string): string
  /**
   * Seals a small secret of one record (a TOTP secret of an account) under a key derived from the seed, bound by its
   * additional data to `purpose` and `id`: AES-256-GCM boxes like the seed's, each under its own key (HKDF of the
   * sealing key with a random salt). The caller still owns (and zeroes) `plaintext`.
   */
  sealSecret(purpose: SecretPurpose, id: string, plaintext: Uint8Array): SealedSecret
  /**
   * The plaintext of a box sealed for exactly this purpose and id by this seed; undefined when it is malformed,
   * altered or sealed for another record, so the caller can say what that means. The caller zeroes the plaintext.
   */
  openSecret(purpose: SecretPurpose, id: string, sealed: SealedSecret): Uint8Array | undefined
  /** The 24 (or 12) backup words, for `bursar keys export-backup`. A string: it cannot be zeroed. */
  exportMnemonic(): string
  /** Zeroes the data key; every later call throws. */
  close(): void
}

export type OpenKeystoreReturnType = Keystore

const wrongMasterKey = 'master key does not open the keystore (wrong BURSAR_MASTER_KEY?)'
const seedAltered = 'sealed seed failed authentication: the record was altered or its keyId changed'

/**
 * Runs argon2id once (about 0.2 s at the default cost) and decrypts the seed once to check it and to derive the
 * service keys; after that only the 32-byte data key, the service keys and public keys stay in memory.
 *
 * @example
 * const keystore = await openKeystore(sealed, process.env.BURSAR_MASTER_KEY!)
 * const signature = await keystore.withSigner('secp256k1', "m/44'/60'/0'/0/0", (signer) => signer.sign(digest))
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

  /** The private key at `path`, freshly derived; the caller zeroes it. */
  function derivePrivateKey(curve: Curve, path: string): Uint8Array {
    return withEntropy((entropy) => {
      const seed = seedFromEntropy(entropy)
      try {
        if (curve === 'secp256k1') {
          const node = deriveHdKey(seed, path)
          const key = node.privateKey!.slice()
          node.wipePrivateData()
          return key
        }
        const node = deriveSlip10Key(seed, path)
        const key = node.privateKey.slice()
        node.privateKey.fill(0)
        return key
      } finally {
        seed.fill(0)
      }
    })
  }

  let service: ServiceKeys
  try {
    service = withEntropy(deriveServiceKeys)
  } catch (error) {
    dek.fill(0)
    throw error
  }
  const publicKeys = new Map<string, Uint8Array>()

  function assertOpen(): void {
    if (closed) throw new BursarError('INTERNAL', 'keystore is closed', { details: { keyId } })
  }

  function signerFor(curve: Curve, privateKey: Uint8Array): Signer {
    return curve === 'secp256k1' ? toSecp256k1Signer(privateKey) : toEd25519Signer(privateKey)
  }

  function publicKey(curve: Curve, path: string): Uint8Array {
    assertOpen()
    const key = `${curve}:${path}`
    let cached = publicKeys.get(key)
    if (!cached) {
      const privateKey = derivePrivateKey(curve, path)
      try {
        cached = signerFor(curve, privateKey).publicKey
      } finally {
        privateKey.fill(0)
      }
      publicKeys.set(key, cached)
    }
    return cached.slice()
  }

  return {
    keyId,
    publicKey,
    async withSigner(curve, path, fn) {
      const expected = publicKey(curve, path)
      const privateKey = derivePrivateKey(curve, path)
      try {
        const signer = signerFor(curve, privateKey)
        // A mismatch would mean memory corruption or a derivation bug; never sign with an unexpected key.
        if (!equalBytes(signer.publicKey, expected)) {
          throw new BursarError('INTERNAL', 'derived key does not match the cached public key', {
            details: { keyId, curve, path },
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
    sealSecret(purpose, id, plaintext) {
      assertOpen()
      return service.sealSecret(purpose, id, plaintext)
    },
    openSecret(purpose, id, sealed) {
      assertOpen()
      return service.openSecret(purpose, id, sealed)
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

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i])
}
