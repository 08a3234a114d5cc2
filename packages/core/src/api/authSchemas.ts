/** People: sign-up, login, sessions, second factors and step-up, members, invitations and service tokens. */
import { z } from 'zod'
import { idParam, timestamp } from './common.ts'

export const memberRoles = ['admin', 'approver', 'viewer'] as const

const email = z
  .string()
  .trim()
  .min(3)
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address')
// Bounds are checked (and explained) by the password hasher; this only keeps absurd bodies out.
const password = z.string().min(1).max(16_384)

const base64url = z
  .string()
  .max(65_536)
  .regex(/^[A-Za-z0-9_-]*$/, 'must be base64url')

/** AuthenticationResponseJSON, as navigator.credentials.get() gives it (fields Bursar does not read pass through). */
export const passkeyAssertionSchema = z.looseObject({
  id: base64url.min(1).max(1024),
  rawId: base64url,
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: base64url.optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).optional(),
})

/** RegistrationResponseJSON, as navigator.credentials.create() gives it. */
export const passkeyAttestationSchema = z.looseObject({
  id: base64url.min(1).max(1024),
  rawId: base64url,
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: base64url,
    attestationObject: base64url,
    transports: z.array(z.string().max(32)).max(16).optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).optional(),
})

/**
 * A second factor proven in the request itself: a TOTP code, an unused recovery code, or a passkey assertion
 * (the AuthenticationResponseJSON a browser's navigator.credentials.get() gives, for options from the server).
 */
export const secondFactorSchema = z.union([
  z.object({ totp_code: z.string().min(1).max(32) }).strict(),
  z.object({ recovery_code: z.string().min(1).max(64) }).strict(),
  z.object({ passkey: passkeyAssertionSchema }).strict(),
])

/** `token` (default): the session token comes back in the body, for API clients; `cookie`: set as a cookie only. */
const sessionMode = z.enum(['token', 'cookie']).default('token')

export const signUpRequestSchema = z
  .object({
    email,
    password,
    /** The token of an invitation (everyone but the first account needs one). */
    invitation: z.string().min(1).max(128).optional(),
    /** The first account's organisation name, when the instance has none yet. */
    organisation_name: z.string().trim().min(1).max(200).optional(),
    session: sessionMode,
  })
  .strict()

export const loginRequestSchema = z
  .object({
    email,
    password,
    /** Required once the account has TOTP enabled (or a recovery code instead). */
    totp_code: z.string().min(1).max(32).optional(),
    recovery_code: z.string().min(1).max(64).optional(),
    session: sessionMode,
  })
  .strict()

export const accountSchema = z.object({
  id: z.string(),
  email: z.string(),
  instance_admin: z.boolean(),
  totp_enabled: z.boolean(),
  created_at: timestamp,
})

export const membershipSchema = z.object({
  org_id: z.string(),
  org_name: z.string(),
  role: z.enum(memberRoles),
})

export const sessionSchema = z.object({
  id: z.string(),
  created_at: timestamp,
  expires_at: timestamp,
  last_seen_at: timestamp,
  step_up_at: timestamp.nullable(),
  source_address: z.string().nullable(),
  user_agent: z.string().nullable(),
  revoked_at: timestamp.nullable(),
  /** The session this request came with. */
  current: z.boolean(),
})

export const loginResponseSchema = z.object({
  account: accountSchema,
  memberships: z.array(membershipSchema),
  session: sessionSchema,
  /** The bearer token (bsr_ses_…), shown once; absent when the session went into the cookie. */
  token: z.string().optional(),
})

export const meResponseSchema = z.object({
  account: accountSchema,
  memberships: z.array(membershipSchema),
  /** The organisation this request acts in, when any. */
  organisation: membershipSchema.nullable(),
  session: sessionSchema,
})

export const passwordChangeRequestSchema = z
  .object({ current_password: password, new_password: password })
  .strict()

export const totpEnrolmentSchema = z.object({
  /** otpauth:// URI for authenticator apps; the secret inside it is shown once. */
  uri: z.string(),
  /** The same URI as a QR code. */
  qr_svg: z.string(),
})

/** The password again: a session alone cannot add a second factor. */
export const totpStartRequestSchema = z.object({ password }).strict()

export const totpConfirmRequestSchema = z.object({ code: z.string().min(1).max(32) }).strict()

export const recoveryCodesSchema = z.object({
  /** Shown once: each works once, in place of a TOTP code. */
  recovery_codes: z.array(z.string()),
})

export const stepUpResponseSchema = z.object({ step_up_at: timestamp, valid_until: timestamp })

export const memberSchema = z.object({
  account_id: z.string(),
  email: z.string(),
  role: z.enum(memberRoles),
  created_at: timestamp,
})

export const memberRoleRequestSchema = z.object({ role: z.enum(memberRoles) }).strict()

export const invitationRequestSchema = z
  .object({
    email,
    role: z.enum(memberRoles),
    /** Default 7 days, at most 30. */
    expires_in_seconds: z
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .optional(),
    /** The account it signs up becomes the instance admin: only the instance admin (or the setup token) may say so. */
    instance_admin: z.boolean().optional(),
  })
  .strict()

export const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(memberRoles),
  expires_at: timestamp,
  /** Shown once: the invited person signs up with it. */
  token: z.string(),
})

export const serviceTokenRequestSchema = z
  .object({ name: z.string().trim().min(1).max(200), role: z.enum(memberRoles) })
  .strict()

export const serviceTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(memberRoles),
  prefix: z.string(),
  instance_admin: z.boolean(),
  created_by: z.string().nullable(),
  created_at: timestamp,
  last_used_at: timestamp.nullable(),
  revoked_at: timestamp.nullable(),
})

export const createdServiceTokenSchema = serviceTokenSchema.extend({
  /** Shown once. */
  token: z.string(),
})

export const accountIdParams = z.object({ accountId: idParam })

/** WebAuthn options as the browser's navigator.credentials.create()/get() take them (JSON form). */
export const passkeyOptionsSchema = z.record(z.string(), z.unknown())

export const passkeyRegistrationRequestSchema = z
  .object({
    /** RegistrationResponseJSON from navigator.credentials.create(), for options from this server. */
    response: passkeyAttestationSchema,
    name: z.string().trim().min(1).max(100).optional(),
    /** Required for an account's first second factor (later ones need step-up instead). */
    password: password.optional(),
  })
  .strict()

export const passkeySchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  transports: z.array(z.string()),
  created_at: timestamp,
  last_used_at: timestamp.nullable(),
})

export const passkeyLoginRequestSchema = z
  .object({
    /** AuthenticationResponseJSON from navigator.credentials.get(), for options from /v1/auth/passkey-login/options. */
    response: passkeyAssertionSchema,
    session: z.enum(['token', 'cookie']).default('token'),
  })
  .strict()
