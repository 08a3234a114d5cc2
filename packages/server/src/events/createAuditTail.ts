/**
 * One reader of the audit log's tail per process, fanned out to every live stream (and, later, webhooks): however
 * many clients follow `/v1/events`, the database sees one poll. It keeps the newest entries in memory; a subscriber
 * resuming from further back reads that history from the database page by page, then joins the live tail.
 */
import { type Db, listTaggedAudit, readAuditPosition, type TaggedAuditEntry } from '@bursar/store'
import type { Logger } from '../logger.ts'

export type AuditTail = {
  /** The newest sealed sequence number, read now (0 before anything is sealed). */
  head(): Promise<number>
  /**
   * Entries after `afterSeq`, oldest first, at most one page; waits up to `waitMs` for new ones when there are none.
   * From memory when the tail holds them, from the database otherwise. Empty: nothing new in that time.
   */
  read(afterSeq: number, waitMs: number): Promise<TaggedAuditEntry[]>
  /** Ends every wait now and stops polling (the server is closing); reads answer at once from then on. */
  close(): void
  readonly closed: boolean
}

const pollMs = 250
const pageSize = 500
const kept = 2_000

// Takes the database and logger, not the server context, which holds the tail: no import circle.
export function createAuditTail(ctx: { db: Db; logger: Logger }): AuditTail {
  // Entries with seq in (floor, newest], contiguous; both -1 until a reader starts them.
  let recent: TaggedAuditEntry[] = []
  let floor = -1
  let newest = -1
  let waiters = new Set<() => void>()
  let timer: NodeJS.Timeout | undefined
  let closed = false
  let starting: Promise<void> | undefined

  const wake = () => {
    const woken = waiters
    waiters = new Set()
    for (const resolve of woken) resolve()
  }
  const poll = async () => {
    timer = undefined
    if (closed) return
    if (waiters.size === 0) {
      // Idle: memory would go stale, so forget it; the next reader starts it again at the head.
      recent = []
      floor = newest = -1
      return
    }
    try {
      const entries = newest < 0 ? [] : await listTaggedAudit(ctx.db, { afterSeq: newest, limit: pageSize })
      if (entries.length > 0) {
        recent.push(...entries)
        newest = entries[entries.length - 1]!.seq
        if (recent.length > kept) {
          recent = recent.slice(recent.length - kept)
          floor = recent[0]!.seq - 1
        }
        wake()
      }
    } catch (error) {
      ctx.logger.warn({ err: error }, 'event stream: reading the audit log failed; retrying')
    }
    // Polls only while someone waits (one more poll notices there is nobody): an idle process does not read the log.
    if (!closed) timer = setTimeout(poll, pollMs)
  }

  // Memory starts at the head, read once however many subscribers arrive together.
  const start = async () => {
    if (newest >= 0) return
    starting ??= readAuditPosition(ctx.db)
      .then((position) => {
        if (newest < 0) newest = floor = position?.seq ?? 0
      })
      .finally(() => {
        starting = undefined
      })
    await starting
  }
  const fromMemory = (afterSeq: number) => recent.filter((entry) => entry.seq > afterSeq).slice(0, pageSize)

  return {
    async head() {
      return (await readAuditPosition(ctx.db))?.seq ?? 0
    },
    async read(afterSeq, waitMs) {
      if (closed) return []
      await start()
      // Older than memory reaches: history, from the database, page by page until the caller catches up.
      if (afterSeq < floor) return listTaggedAudit(ctx.db, { afterSeq, limit: pageSize })
      const ready = fromMemory(afterSeq)
      if (ready.length > 0 || closed) return ready
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timeout)
          waiters.delete(done)
          resolve()
        }
        const timeout = setTimeout(done, waitMs)
        waiters.add(done)
        if (timer === undefined && !closed) timer = setTimeout(poll, 0)
      })
      return fromMemory(afterSeq)
    },
    close() {
      closed = true
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
      wake()
    },
    get closed() {
      return closed
    },
  }
}
