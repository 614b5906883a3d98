/**
 * The few HTTP helpers the lab's servers share: answering, reading a small body,
 * escaping text into HTML, refusing unexpected Host headers, and listening on the
 * loopback interface only.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Every server of the lab listens here and nowhere else. */
export const LOOPBACK = '127.0.0.1'

export type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<void>

/** Headers every lab response carries. */
const BASE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  // The debugger's URL never holds a token, but an app page's may hold an attack.
  'referrer-policy': 'no-referrer',
}

export function send(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string | Uint8Array,
  headers: Readonly<Record<string, string | string[]>> = {},
): void {
  response.writeHead(status, { ...BASE_HEADERS, 'content-type': contentType, ...headers })
  response.end(body)
}

export function sendJson(
  response: ServerResponse,
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string | string[]>> = {},
): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value), headers)
}

export function sendHtml(
  response: ServerResponse,
  status: number,
  html: string,
  headers: Readonly<Record<string, string | string[]>> = {},
): void {
  send(response, status, 'text/html; charset=utf-8', html, headers)
}

/** The body as text, refused past `limit` bytes: nothing here needs more than a few KiB. */
export async function readBody(request: IncomingMessage, limit = 65_536): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > limit) throw new RangeError(`request body over ${limit} bytes`)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text made safe for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] as string)
}

/**
 * A server that answers only to the Host names it was given: a page on some other
 * site that rebinds its own name to 127.0.0.1 (DNS rebinding) still sends its own
 * name as Host, and is turned away.
 */
export function createLabServer(hosts: () => readonly string[], handler: Handler): Server {
  return createServer((request, response) => {
    const host = request.headers.host ?? ''
    if (!hosts().includes(host)) {
      send(response, 421, 'text/plain; charset=utf-8', `open this page at http://${hosts()[0]}/\n`)
      return
    }
    handler(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        send(response, 500, 'text/plain; charset=utf-8', `lab error: ${String(error)}\n`)
      } else {
        response.destroy()
      }
    })
  })
}

/** Listens on the loopback interface; port 0 asks the system for a free one. */
export async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return (server.address() as AddressInfo).port
}

/** Closes the server and every connection still open on it (keep-alive included). */
export async function close(server: Server): Promise<void> {
  if (!server.listening) return
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  server.closeAllConnections()
  await closed
}
