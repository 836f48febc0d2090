/**
 * Request bodies: read with a size limit (413 past it, without buffering the rest), JSON
 * (415 for another content type), parsed with a 400 that says where the JSON broke; routes
 * that take forms (fires, as Refold's OpenAPI reference documents) also multipart/form-data.
 */
import type { IncomingMessage } from 'node:http'
import { ApiError } from './api-error.js'

/** The client went away before its body arrived; there is no one to answer. */
export class RequestAborted extends Error {}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i
const FORM_TYPE = /^multipart\/form-data\s*;/i

/** One uploaded file of a multipart body. */
export interface FormFile {
  filename: string
  contentType: string
  bytes: Buffer
}

/** A multipart/form-data body: its fields in order, text or file. */
export class FormBody {
  constructor(readonly fields: ReadonlyArray<readonly [string, string | FormFile]>) {}
}

/**
 * Deepest nesting accepted. Refold stores documents in MongoDB, which refuses nesting past
 * 100 levels; the emulator is more lenient but bounded, because deeper values cannot be
 * serialized back (JSON.stringify recurses) and would poison the state file.
 */
export const MAX_JSON_DEPTH = 512

/**
 * Read and parse the JSON body of `request`; undefined when there is none.
 * Throws {@link ApiError} (413, 415, 400) or {@link RequestAborted}.
 */
export function readJsonBody(request: IncomingMessage, limit: number, acceptForm = false): Promise<unknown> {
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
      if (size > limit) {
        fail(tooLarge(limit))
        return
      }
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
      if (acceptForm && type !== undefined && FORM_TYPE.test(type)) {
        return void readForm(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), type).then(resolve, reject)
      }
      if (type === undefined || !JSON_TYPE.test(type)) {
        return reject(
          new ApiError(
            415,
            'UNSUPPORTED_MEDIA_TYPE',
            `Request body must be JSON (Content-Type: application/json), got ${type === undefined ? 'no Content-Type' : JSON.stringify(type)}`,
          ),
        )
      }
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8')
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch (error) {
        return reject(new ApiError(400, 'INVALID_JSON', `Request body is not valid JSON: ${(error as Error).message}`))
      }
      if (nestsDeeperThan(value, MAX_JSON_DEPTH)) {
        return reject(new ApiError(400, 'INVALID_REQUEST_BODY', `Request body nests deeper than ${MAX_JSON_DEPTH} levels`))
      }
      resolve(value)
    })
  })
}

/** Parse a multipart body with the platform's own parser (undici's, behind `Response`); 400 when malformed. */
async function readForm(bytes: Buffer, type: string): Promise<FormBody> {
  let form: FormData
  try {
    form = await new Response(bytes, { headers: { 'content-type': type } }).formData()
  } catch (error) {
    throw new ApiError(400, 'INVALID_REQUEST_BODY', `Request body is not valid multipart/form-data: ${(error as Error).message}`)
  }
  const fields: Array<readonly [string, string | FormFile]> = []
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields.push([name, value])
    else fields.push([name, { filename: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) }])
  }
  return new FormBody(fields)
}

/** Whether `value` has arrays/objects nested more than `limit` deep (iterative: any depth is safe to measure). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!
    if (typeof current !== 'object' || current === null) continue
    if (depth >= limit) return true
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1])
    }
  }
  return false
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'PAYLOAD_TOO_LARGE', `Request body is larger than the limit of ${limit} bytes`)
}
