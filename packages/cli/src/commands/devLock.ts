/**
 * One `bursar dev` per data directory: PGlite has no lock of its own, and two processes writing one database
 * directory would corrupt it. A stale lock (its process is gone) is taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { CliError } from '../output.ts'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function acquireDevLock(dataDir: string): () => void {
  const path = join(dataDir, 'lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600)
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return () => {
        try {
          unlinkSync(path)
        } catch {}
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const pid = Number(readFileSync(path, 'utf8').trim())
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new CliError(
          'ALREADY_RUNNING',
          `bursar dev is already running on ${dataDir} (pid ${pid}); stop it first`,
        )
      }
      unlinkSync(path)
    }
  }
  throw new CliError('ALREADY_RUNNING', `could not lock ${dataDir}`)
}
