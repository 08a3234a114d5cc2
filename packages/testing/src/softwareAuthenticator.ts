/**
 * A WebAuthn authenticator in software, for tests: answers `navigator.credentials.create` / `get`-shaped calls with
 * the JSON a browser sends (RegistrationResponseJSON, AuthenticationResponseJSON), from P-256 keys of its own. No
 * attestation ('none'); the signature counter goes up on each assertion. Every call can claim another origin or RP
 * ID, or report a chosen counter, so tests can forge what a phishing page or a cloned authenticator would send.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto'

type Transport = 'ble' | 'cable' | 'hybrid' | 'internal' | 'nfc' | 'smart-card' | 'usb'

/** The parts of PublicKeyCredentialCreationOptionsJSON an authenticator reads. */
export type SoftwareCreationOptions = {
  challenge: string
  rp: { id?: string; name: string }
  user: { id: string; name: string }
  excludeCredentials?: readonly { id: string }[]
}

/** The parts of PublicKeyCredentialRequestOptionsJSON an authenticator reads. */
export type SoftwareRequestOptions = {
  challenge: string
  rpId?: string
  allowCredentials?: readonly { id: string }[]
}

/** What this call claims, in place of the authenticator's own origin and the options' RP ID. */
export type SoftwareCeremonyOverrides = { origin?: string; rpId?: string }

export type SoftwareRegistrationResponse = {
  id: string
  rawId: string
  type: 'public-key'
  authenticatorAttachment: 'platform'
  clientExtensionResults: Record<string, never>
  response: { clientDataJSON: string; attestationObject: string; transports: Transport[] }
}

export type SoftwareAuthenticationResponse = {
  id: string
  rawId: string
  type: 'public-key'
  authenticatorAttachment: 'platform'
  clientExtensionResults: Record<string, never>
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle: string }
}

export type SoftwareAuthenticator = {
  /** A new credential; refuses (InvalidStateError) when the options exclude one this authenticator holds. */
  create(
    options: SoftwareCreationOptions,
    overrides?: SoftwareCeremonyOverrides,
  ): SoftwareRegistrationResponse
  /**
   * An assertion by `credentialId`, or by the first credential held that the options allow (any, when they allow
   * all); NotAllowedError when there is none. `counter` is reported (and kept) instead of the next value.
   */
  get(
    options: SoftwareRequestOptions,
    overrides?: SoftwareCeremonyOverrides & { credentialId?: string; counter?: number },
  ): SoftwareAuthenticationResponse
}

export type CreateSoftwareAuthenticatorParameters = {
  /** The origin of the page it answers for, e.g. 'https://bursar.example.com'. */
  origin: string
  /** How much the counter goes up per assertion: 1 by default, 0 for an authenticator that keeps none. */
  counterStep?: number
}

type Credential = { id: Buffer; privateKey: KeyObject; userHandle: string; counter: number }

// Authenticator data flags (WebAuthn §6.1): user present, user verified, attested credential data included.
const userPresent = 0x01
const userVerified = 0x04
const attestedCredentialData = 0x40

/**
 * @example
 * const laptop = createSoftwareAuthenticator({ origin: rp.origin })
 * const registration = laptop.create(await startPasskeyRegistration(db, rp, account))
 * await finishPasskeyRegistration(db, rp, account.id, registration)
 * const assertion = laptop.get(await startPasskeyAuthentication(db, rp), { origin: 'https://phish.example' })
 */
export function createSoftwareAuthenticator(
  parameters: CreateSoftwareAuthenticatorParameters,
): SoftwareAuthenticator {
  const counterStep = parameters.counterStep ?? 1
  const credentials: Credential[] = []

  return {
    create(options, overrides = {}) {
      const excluded = new Set((options.excludeCredentials ?? []).map((credential) => credential.id))
      if (credentials.some((credential) => excluded.has(credential.id.toString('base64url')))) {
        throw new DOMException('This authenticator holds an excluded credential', 'InvalidStateError')
      }
      const origin = overrides.origin ?? parameters.origin
      const rpId = overrides.rpId ?? options.rp.id ?? new URL(origin).hostname
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      const credential: Credential = {
        id: randomBytes(32),
        privateKey,
        userHandle: options.user.id,
        counter: 0,
      }
      credentials.push(credential)

      const jwk = publicKey.export({ format: 'jwk' })
      // COSE_Key (RFC 9053): kty EC2, alg ES256, crv P-256, x, y.
      const coseKey = new Map<number, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ])
      const credentialIdLength = Buffer.alloc(2)
      credentialIdLength.writeUInt16BE(credential.id.length)
      const authenticatorData = Buffer.concat([
        rpIdHash(rpId),
        Buffer.from([userPresent | userVerified | attestedCredentialData]),
        counterBytes(credential.counter),
        Buffer.alloc(16), // AAGUID: none, as with attestation 'none'
        credentialIdLength,
        credential.id,
        cbor(coseKey),
      ])
      const attestationObject = new Map<string, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authenticatorData],
      ])
      const id = credential.id.toString('base64url')
      return {
        id,
        rawId: id,
        type: 'public-key',
        authenticatorAttachment: 'platform',
        clientExtensionResults: {},
        response: {
          clientDataJSON: clientData('webauthn.create', options.challenge, origin).toString('base64url'),
          attestationObject: cbor(attestationObject).toString('base64url'),
          transports: ['internal'],
        },
      }
    },

    get(options, overrides = {}) {
      const allowed = new Set((options.allowCredentials ?? []).map((credential) => credential.id))
      const credential = credentials.find((candidate) => {
        const id = candidate.id.toString('base64url')
        if (overrides.credentialId !== undefined) return id === overrides.credentialId
        return allowed.size === 0 || allowed.has(id)
      })
      if (!credential)
        throw new DOMException('No credential of this authenticator is allowed', 'NotAllowedError')
      const origin = overrides.origin ?? parameters.origin
      const rpId = overrides.rpId ?? options.rpId ?? new URL(origin).hostname
      credential.counter = overrides.counter ?? credential.counter + counterStep

      const authenticatorData = Buffer.concat([
        rpIdHash(rpId),
        Buffer.from([userPresent | userVerified]),
        counterBytes(credential.counter),
      ])
      const clientDataJSON = clientData('webauthn.get', options.challenge, origin)
      // WebAuthn §6.3.3: the signature is over authenticatorData ‖ SHA-256(clientDataJSON); ES256 signatures are DER.
      const signature = sign(
        'sha256',
        Buffer.concat([authenticatorData, createHash('sha256').update(clientDataJSON).digest()]),
        credential.privateKey,
      )
      const id = credential.id.toString('base64url')
      return {
        id,
        rawId: id,
        type: 'public-key',
        authenticatorAttachment: 'platform',
        clientExtensionResults: {},
        response: {
          clientDataJSON: clientDataJSON.toString('base64url'),
          authenticatorData: authenticatorData.toString('base64url'),
          signature: signature.toString('base64url'),
          userHandle: credential.userHandle,
        },
      }
    },
  }
}

function clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }))
}

function rpIdHash(rpId: string): Buffer {
  return createHash('sha256').update(rpId).digest()
}

function counterBytes(counter: number): Buffer {
  const bytes = Buffer.alloc(4)
  bytes.writeUInt32BE(counter)
  return bytes
}

type Cbor = number | string | Uint8Array | Map<number | string, Cbor>

/**
 * The CBOR (RFC 8949) an attestation object and a COSE key need: integers, byte and text strings, maps, in the
 * definite-length encoding with the shortest head, keys in the order given.
 */
function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value)
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8')
    return Buffer.concat([head(3, bytes.length), bytes])
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value])
  return Buffer.concat([head(5, value.size), ...[...value].flatMap(([key, item]) => [cbor(key), cbor(item)])])
}

/** A data item's head: the major type and its argument (a value, a length or a count). */
function head(major: number, argument: number): Buffer {
  if (!Number.isSafeInteger(argument) || argument < 0 || argument > 0xffff_ffff) {
    throw new RangeError(`CBOR: ${argument} is out of range`)
  }
  if (argument < 24) return Buffer.from([(major << 5) | argument])
  if (argument <= 0xff) return Buffer.from([(major << 5) | 24, argument])
  const wide = argument <= 0xffff
  const bytes = Buffer.alloc(wide ? 3 : 5)
  bytes[0] = (major << 5) | (wide ? 25 : 26)
  if (wide) bytes.writeUInt16BE(argument, 1)
  else bytes.writeUInt32BE(argument, 1)
  return bytes
}
