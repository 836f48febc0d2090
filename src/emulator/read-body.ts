/**
 * Request bodies: read with a size limit (413 past it, without buffering the rest), JSON
 * only (415 for another content type), parsed with a 400 that says where the JSON broke.
 */
import type { IncomingMessage } from 'node:http'
import { ApiError } from './api-error.js'

/** The client went away before its body arrived; there is no one to answer. */
export class RequestAborted extends Error {}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

/**
 * Read and parse the JSON body of `request`; undefined when there is none.
 * Throws {@link ApiError} (413, 415, 400) or {@link RequestAborted}.
 */
export function readJsonBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const declared = request.headers['content-length']
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge(limit))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    const fail = (error: Error): void => {
      if (settled) return
      settled = true
      request.off('data', onData)
      reject(error)
    }
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > limit) return fail(tooLarge(limit))
      chunks.push(chunk)
    }
    request.on('data', onData)
    request.once('aborted', () => fail(new RequestAborted()))
    request.once('error', () => fail(new RequestAborted()))
    request.once('end', () => {
      if (settled) return
      settled = true
      if (size === 0) return resolve(undefined)
      const type = request.headers['content-type']
      if (type === undefined || !JSON_TYPE.test(type)) {
        return reject(
          new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `Request body must be JSON (Content-Type: application/json), got ${type === undefined ? 'no Content-Type' : JSON.stringify(type)}`),
        )
      }
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8')
      try {
        resolve(JSON.parse(text))
      } catch (error) {
        reject(new ApiError(400, 'INVALID_JSON', `Request body is not valid JSON: ${(error as Error).message}`))
      }
    })
  })
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'PAYLOAD_TOO_LARGE', `Request body is larger than the limit of ${limit} bytes`)
}
