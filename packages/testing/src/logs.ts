/** Captures a Bursar instance's JSON log lines in memory, so tests can read them (and scan them for secrets). */
import { Writable } from 'node:stream'

export type LogCapture = { stream: Writable; lines: string[]; text(): string }

export function captureLogs(): LogCapture {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(line)
      callback()
    },
  })
  return { stream, lines, text: () => lines.join('\n') }
}
