/** One HTTP call to Bursar: JSON in, JSON out, error bodies turned into BursarApiError. */
import { BursarApiError } from './BursarApiError.ts'

/** `apiKey`: the bearer credential (an agent key, a service token or a session); none for sign-up and login. */
export type Transport = { url: string; apiKey?: string; fetch?: typeof fetch }

export async function request<T>(
  transport: Transport,
  method: string,
  path: string,
  options: {
    body?: unknown
    headers?: Record<string, string>
    query?: Record<string, string | number | undefined>
  } = {},
): Promise<T> {
  // An id of "", "." or ".." would make another path (URL resolution drops dot segments): refuse it, unsent.
  if (path.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new BursarApiError({
      code: 'VALIDATION_FAILED',
      message: 'an id in the request is empty, "." or ".."',
      status: 400,
      details: { issues: [{ path: 'id', message: 'must be an id Bursar returned' }] },
    })
  }
  const url = new URL(path, transport.url.endsWith('/') ? transport.url : `${transport.url}/`)
  for (const [key, value] of Object.entries(options.query ?? {}))
    if (value !== undefined) url.searchParams.set(key, String(value))
  const doFetch = transport.fetch ?? fetch
  let response: Response
  try {
    response = await doFetch(url, {
      method,
      headers: {
        ...(transport.apiKey === undefined ? {} : { authorization: `Bearer ${transport.apiKey}` }),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    })
  } catch (error) {
    throw new BursarApiError({
      code: 'NETWORK_ERROR',
      message: `cannot reach Bursar at ${url.origin}`,
      status: 0,
      details: { cause: String(error) },
    })
  }
  let text: string
  try {
    text = await response.text()
  } catch (error) {
    throw new BursarApiError({
      code: 'NETWORK_ERROR',
      message: 'the response was cut off',
      status: response.status,
      details: { cause: String(error) },
    })
  }
  let json: unknown
  try {
    json = text ? (JSON.parse(text) as unknown) : undefined
  } catch {
    // A proxy's HTML error page, a truncated body: keep the status, show the start of what came.
    throw new BursarApiError({
      code: response.ok ? 'INVALID_RESPONSE' : 'HTTP_ERROR',
      message: `HTTP ${response.status} with a body that is not JSON`,
      status: response.status,
      details: { body: text.slice(0, 200) },
    })
  }
  if (!response.ok) {
    const error = (
      json as {
        error?: { code: string; message: string; details?: Record<string, unknown>; request_id?: string }
      }
    )?.error
    throw new BursarApiError({
      code: error?.code ?? 'HTTP_ERROR',
      message: error?.message ?? `HTTP ${response.status}`,
      status: response.status,
      ...(error?.details ? { details: error.details } : {}),
      ...(error?.request_id ? { requestId: error.request_id } : {}),
    })
  }
  return json as T
}
