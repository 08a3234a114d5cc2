/** A passkey (WebAuthn credential) as stored; an account may have several. */
export type PasskeyRow = {
  id: string
  account_id: string
  /** The credential id, base64url. */
  credential_id: string
  /** The credential's COSE public key, base64url. */
  public_key: string
  /** The authenticator's signature counter (0 for authenticators that keep none). */
  counter: number
  /** As the browser reported them ('internal', 'hybrid', 'usb', …), passed back when asking for an assertion. */
  transports: string[]
  name: string | null
  created_at: Date
  last_used_at: Date | null
}
