/**
 * The browser's session cookie. `__Host-` pins it to this origin (Secure, Path=/, no Domain), HttpOnly keeps it from
 * scripts, and SameSite=Strict keeps other sites' pages from sending it; unsafe methods also pass an Origin check
 * (checkOrigin), because SameSite alone does not cover every browser or a sibling subdomain.
 */
import type { FastifyRequest } from 'fastify'

const sessionCookieName = '__Host-bursar_session'

/** The session token from the Cookie header, if there is one. */
export function readSessionCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie
  if (header === undefined) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq === -1) continue
    if (part.slice(0, eq).trim() === sessionCookieName) return part.slice(eq + 1).trim() || undefined
  }
  return undefined
}

/** The Set-Cookie value that gives the browser a session until `expires`. */
export function sessionCookie(token: string, expires: Date): string {
  return `${sessionCookieName}=${token}; Path=/; Secure; HttpOnly; SameSite=Strict; Expires=${expires.toUTCString()}`
}

/** The Set-Cookie value that removes it (logout). */
export function clearedSessionCookie(): string {
  return `${sessionCookieName}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0`
}
