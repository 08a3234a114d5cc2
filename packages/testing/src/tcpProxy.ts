/** A TCP relay to put in front of a local node, so tests can cut an RPC endpoint off and bring it back. */
import { createServer, type Server, Socket } from 'node:net'

export type TcpProxy = {
  /** The port it listens on, kept across restarts. */
  readonly port: number
  /** `http://127.0.0.1:<port>`: an RPC URL through the proxy. */
  readonly url: string
  /** Connections accepted since start, restarts included. */
  readonly connections: number
  /** Destroys every open connection (both sides) and stops listening: clients see resets, then refusals. */
  stop(): Promise<void>
  /** Listens again on the same port; to `target` when given (another node), else to the same one. */
  restart(target?: number): Promise<void>
}

/**
 * Relays every connection on 127.0.0.1 to `target` (a port on 127.0.0.1), byte for byte.
 *
 * @example
 * const proxy = await startTcpProxy(anvil.port)
 * const network = { ...anvil.network, rpcUrls: [proxy.url, anvil.rpcUrl] }
 * await proxy.stop() // requests through it now fail at the transport
 * await proxy.restart()
 */
export async function startTcpProxy(target: number, options: { port?: number } = {}): Promise<TcpProxy> {
  let upstream = target
  let connections = 0
  let server: Server | undefined
  const sockets = new Set<Socket>()
  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  }

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const next = createServer((client) => {
        // A connection that raced stop() is cut like the others.
        if (server !== next) {
          client.destroy()
          return
        }
        connections++
        const remote = upstream
        track(client)
        const upstreamSocket = new Socket()
        track(upstreamSocket)
        // Either side failing ends both: the client must see the cut, not a half-open connection.
        client.on('error', () => upstreamSocket.destroy())
        upstreamSocket.on('error', () => client.destroy())
        client.on('close', () => upstreamSocket.destroy())
        upstreamSocket.on('close', () => client.destroy())
        upstreamSocket.connect(remote, '127.0.0.1', () => {
          client.pipe(upstreamSocket)
          upstreamSocket.pipe(client)
        })
      })
      next.once('error', reject)
      next.listen(port, '127.0.0.1', () => {
        next.off('error', reject)
        server = next
        const address = next.address()
        resolve(typeof address === 'object' && address !== null ? address.port : port)
      })
    })

  const port = await listen(options.port ?? 0)
  const stop = async () => {
    const closing = server
    server = undefined
    for (const socket of sockets) socket.destroy()
    sockets.clear()
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()))
  }

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections
    },
    stop,
    async restart(nextTarget) {
      await stop()
      if (nextTarget !== undefined) upstream = nextTarget
      await listen(port)
    },
  }
}
