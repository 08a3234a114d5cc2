/** The WebAuthn relying party Bursar speaks as: passkeys are bound to its id and answered only from its origin. */
export type RelyingParty = {
  /** The RP ID: the host name passkeys are scoped to, e.g. 'bursar.example.com' (or 'localhost'). */
  id: string
  /** Shown by the browser when asking for a passkey, e.g. 'Bursar'. */
  name: string
  /** The one origin responses must come from, scheme and port included, e.g. 'https://bursar.example.com'. */
  origin: string
}
