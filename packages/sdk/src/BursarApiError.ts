/** An error response from Bursar, carrying the server's stable error code. */
export class BursarApiError extends Error {
  override name = 'BursarApiError'
  readonly code: string
  readonly status: number
  readonly details: Record<string, unknown>
  readonly requestId: string | undefined

  constructor(params: {
    code: string
    message: string
    status: number
    details?: Record<string, unknown>
    requestId?: string
  }) {
    super(params.message)
    this.code = params.code
    this.status = params.status
    this.details = params.details ?? {}
    this.requestId = params.requestId
  }
}
