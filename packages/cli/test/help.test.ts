import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { main } from '../src/cli.ts'

/** Runs the CLI in-process and returns its exit code and what it wrote. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const write = {
    out: process.stdout.write.bind(process.stdout),
    err: process.stderr.write.bind(process.stderr),
  }
  process.stdout.write = ((chunk: string) => {
    out += chunk
    return true
  }) as typeof process.stdout.write
  process.stderr.write = ((chunk: string) => {
    err += chunk
    return true
  }) as typeof process.stderr.write
  try {
    return { code: await main(args), out, err }
  } finally {
    process.stdout.write = write.out
    process.stderr.write = write.err
  }
}

test('README quotes `bursar --help` exactly', async () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')
  const quoted = /```\n\$ bursar --help\n([\s\S]*?)```/.exec(readme)?.[1]
  const help = await run(['--help'])
  expect(help.code).toBe(0)
  expect(quoted).toBe(help.out)
})

test('bursar --help lists every command with its arguments and its own options', async () => {
  const { out } = await run(['--help'])
  expect(out).toContain('  agent create <name> [--policy <file>]\n')
  expect(out).toContain('  key revoke <agent> <key>\n')
  expect(out).toContain('  halt reset\n')
  expect(out).toMatch(/ {2}send --to <address> --amount <base units> .*\[--wait\]/s)
  expect(out).toMatch(/--json +print JSON/)
})

test('a command’s --help lists its own options and the shared ones it takes, nothing else', async () => {
  const { code, out } = await run(['agent', 'create', '--help'])
  expect(code).toBe(0)
  expect(out).toMatch(/^Usage: bursar agent create \[options\] <name>/)
  for (const flag of ['--policy <file>', '--url <url>', '--token <token>', '--data-dir <dir>', '--json'])
    expect(out).toContain(flag)
  expect(out).not.toContain('--api-key')
  const send = await run(['send', '--help'])
  expect(send.out).toContain('--api-key <key>')
  expect(send.out).not.toContain('--token')
})

test('error: an option of another command is refused, naming the command whose help to read', async () => {
  await expect(run(['agent', 'list', '--policy', 'p.json'])).rejects.toMatchObject({
    code: 'USAGE',
    message: "unknown option '--policy' (see `bursar agent list --help`)",
  })
  await expect(run(['send', '--token', 'bsr_owner_x', '--to', '0x1', '--amount', '1'])).rejects.toMatchObject(
    {
      code: 'USAGE',
      message: expect.stringContaining("unknown option '--token'"),
    },
  )
})

test('error: missing arguments, extra arguments and malformed values are usage errors', async () => {
  const usage = (message: RegExp) =>
    expect.objectContaining({ code: 'USAGE', message: expect.stringMatching(message) })
  await expect(run(['key', 'revoke', 'agt_1'])).rejects.toEqual(usage(/missing required argument 'key'/))
  await expect(run(['agent', 'show', 'agt_1', 'agt_2'])).rejects.toEqual(usage(/too many arguments/))
  await expect(run(['intent', 'list', '--limit', 'ten'])).rejects.toEqual(
    usage(/--limit.*must be a whole number/),
  )
  await expect(run(['intent', 'list', '--status', 'paid'])).rejects.toEqual(
    usage(/Allowed choices are received/),
  )
  await expect(run(['policy', 'template', 'nope'])).rejects.toEqual(usage(/Allowed choices are .*payroll/))
  await expect(run(['audit', 'export', '--format', 'csv'])).rejects.toEqual(
    usage(/Allowed choices are jsonl/),
  )
})

test('error: a group without a command prints its help to stderr and exits 1', async () => {
  const { code, out, err } = await run(['policy'])
  expect(code).toBe(1)
  expect(out).toBe('')
  expect(err).toMatch(/^Usage: bursar policy \[options\] \[command\]/)
  expect(err).toContain('test [options] <agent>')
})

test('error: the bursar process exits non-zero and says what was wrong, as JSON with --json', () => {
  const bin = fileURLToPath(new URL('../bin/bursar.mjs', import.meta.url))
  const plain = spawnSync(process.execPath, [bin, 'agent', 'list', '--frobnicate'], { encoding: 'utf8' })
  expect(plain.status).toBe(1)
  expect(plain.stdout).toBe('')
  expect(plain.stderr).toBe("error USAGE: unknown option '--frobnicate' (see `bursar agent list --help`)\n")
  const json = spawnSync(process.execPath, [bin, 'agent', 'lst', '--json'], { encoding: 'utf8' })
  expect(json.status).toBe(1)
  expect(JSON.parse(json.stderr)).toEqual({
    error: { code: 'USAGE', message: expect.stringContaining("unknown command 'lst'") },
  })
})
