/** bursar — argument parsing only; each command lives in commands/. */
import { parseArgs } from 'node:util'
import { BursarApiError } from '@bursar/sdk'
import { agentCommand } from './commands/agent.ts'
import { auditCommand } from './commands/audit.ts'
import { breakerCommand, freezeCommand, haltCommand } from './commands/breaker.ts'
import { devCommand } from './commands/dev.ts'
import { intentCommand } from './commands/intent.ts'
import { keyCommand } from './commands/key.ts'
import { keysBackupCommand } from './commands/keysBackup.ts'
import { ownerCommand } from './commands/owner.ts'
import { policyCommand } from './commands/policy.ts'
import { sendCommand } from './commands/send.ts'
import { serveCommand } from './commands/serve.ts'
import { CliError } from './output.ts'

const usage = `bursar — policy-guarded wallets for AI agents

  bursar dev                         start everything locally (PGlite + anvil + API + workers)
  bursar serve                       production: DATABASE_URL, BURSAR_MASTER_KEY, configured RPCs
  bursar owner create <name>         create an owner and print its token (direct database access)
  bursar agent create <name> [--policy file.json] | list | show | pause | resume | delete <id>
  bursar agent freeze <id> [--reason text] | unfreeze <id>     trip / reset an agent's circuit breaker
  bursar halt [--reason text] | halt reset                     global breaker: stop everything / resume
  bursar breaker list
  bursar key create|list <agent> | revoke|rotate <agent> <key id>
  bursar policy set <agent> <file.json> | get <agent> | history <agent> | diff <agent> <v1> <v2>
  bursar policy test <agent> --to <addr> --amount <n>      dry-run an intent, with the explanation
  bursar policy replay <agent> <draft.json> [--since 7d]    what a draft policy would have changed
  bursar policy templates | template <name>                 starting points: x402-buyer, defi-trader, payroll
  bursar send --to <addr> --amount <base units> [--network anvil] [--asset native] [--wait]
  bursar intent show <id> | list [--status s] [--agent id] | cancel <id>
  bursar audit verify [--checkpoint file] [--public-key hex] [--database-url URL]
  bursar audit checkpoint > cp.json | key | export --format jsonl
  bursar keys export-backup          print the master mnemonic (asks for confirmation)

Options: --url (default http://127.0.0.1:8420 or .bursar/url), --token (owner; BURSAR_OWNER_TOKEN),
         --api-key (agent; BURSAR_API_KEY), --json, --port, --data-dir (.bursar)`

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      'api-key': { type: 'string' },
      json: { type: 'boolean' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      config: { type: 'string' },
      policy: { type: 'string' },
      network: { type: 'string' },
      to: { type: 'string' },
      amount: { type: 'string' },
      asset: { type: 'string' },
      data: { type: 'string' },
      value: { type: 'string' },
      'idempotency-key': { type: 'string' },
      wait: { type: 'boolean' },
      status: { type: 'string' },
      agent: { type: 'string' },
      limit: { type: 'string' },
      format: { type: 'string' },
      checkpoint: { type: 'string' },
      'public-key': { type: 'string' },
      since: { type: 'string' },
      yes: { type: 'boolean' },
      reason: { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const [command, sub, ...rest] = positionals
  const common = {
    json: values.json ?? false,
    url: values.url,
    token: values.token,
    apiKey: values['api-key'],
    dataDir: values['data-dir'],
  }
  const port = values.port === undefined ? undefined : Number(values.port)
  if (values.help || !command) {
    process.stdout.write(`${usage}\n`)
    return command ? 0 : 1
  }
  switch (command) {
    case 'dev':
      await devCommand({ ...common, port, logLevel: values['log-level'] })
      return 0
    case 'serve':
      await serveCommand({ port, config: values.config })
      return 0
    case 'owner':
      await ownerCommand(sub, rest, { ...common, databaseUrl: values['database-url'] })
      return 0
    case 'agent':
      if (sub === 'freeze' || sub === 'unfreeze')
        await freezeCommand(sub, rest[0], { ...common, reason: values.reason })
      else await agentCommand(sub, rest, { ...common, policy: values.policy })
      return 0
    case 'halt':
      await haltCommand(sub, { ...common, reason: values.reason })
      return 0
    case 'breaker':
      await breakerCommand(sub, common)
      return 0
    case 'key':
      await keyCommand(sub, rest, common)
      return 0
    case 'keys':
      if (sub !== 'export-backup') throw new CliError('USAGE', 'usage: bursar keys export-backup [--yes]')
      await keysBackupCommand({
        databaseUrl: values['database-url'],
        dataDir: values['data-dir'],
        yes: values.yes,
      })
      return 0
    case 'policy':
      await policyCommand(sub, rest, {
        ...common,
        to: values.to,
        amount: values.amount,
        asset: values.asset,
        network: values.network,
        data: values.data,
        value: values.value,
        since: values.since,
      })
      return 0
    case 'send':
      await sendCommand({
        ...common,
        network: values.network,
        to: values.to,
        amount: values.amount,
        asset: values.asset,
        idempotencyKey: values['idempotency-key'],
        wait: values.wait,
      })
      return 0
    case 'intent':
      await intentCommand(sub, rest, {
        ...common,
        status: values.status,
        agent: values.agent,
        limit: values.limit,
      })
      return 0
    case 'audit':
      await auditCommand(sub, {
        ...common,
        databaseUrl: values['database-url'],
        format: values.format,
        checkpoint: values.checkpoint,
        publicKey: values['public-key'],
      })
      return 0
    default:
      throw new CliError('USAGE', `unknown command "${command}"\n\n${usage}`)
  }
}

function report(error: unknown, json: boolean): number {
  if (error instanceof CliError || error instanceof BursarApiError) {
    const body = {
      error: {
        code: error.code,
        message: error.message,
        ...(error instanceof BursarApiError ? { details: error.details } : {}),
      },
    }
    process.stderr.write(json ? `${JSON.stringify(body)}\n` : `error ${error.code}: ${error.message}\n`)
    if (!json && error instanceof BursarApiError && Object.keys(error.details).length > 0) {
      process.stderr.write(`${JSON.stringify(error.details, null, 2)}\n`)
    }
    return error instanceof CliError ? error.exitCode : 1
  }
  const raw = (error as { code?: unknown })?.code
  const code = typeof raw === 'string' ? raw : 'UNEXPECTED'
  const message = (error as Error)?.message ?? String(error)
  process.stderr.write(
    json ? `${JSON.stringify({ error: { code, message } })}\n` : `error ${code}: ${message}\n`,
  )
  return 1
}

const isMain =
  process.argv[1] !== undefined &&
  import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '')
if (isMain) {
  const argv = process.argv.slice(2)
  main(argv).then(
    (code) => process.exit(code),
    (error) => process.exit(report(error, argv.includes('--json'))),
  )
}
