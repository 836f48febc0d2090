/**
 * Where fires go, and whether the API key may travel there. The key is sent only over https or
 * to a loopback address (a local emulator): plain http anywhere else would expose it to anyone
 * on the path, so the client refuses before connecting.
 */

/** Refold's API, used when neither the `baseUrl` option nor `REFOLD_BASE_URL` is set. */
export const DEFAULT_BASE_URL = 'https://app.refold.ai'

/** A checked base URL. */
export interface BaseUrl {
  /** `https://app.refold.ai`, `http://127.0.0.1:4010`: scheme, host and port only. */
  origin: string
  /** Path prefix without a trailing slash (`""`, or `/refold` behind a gateway). */
  pathPrefix: string
}

/**
 * Checks `raw` (from `source`, named in errors) and returns the origin and path prefix, or the
 * problem explaining what is wrong (the runtime throws it as a configuration error).
 */
export function parseBaseUrl(raw: string, source: string): BaseUrl | BaseUrlProblem {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    return problem('invalid_base_url', `${source} is not a URL (expected something like ${DEFAULT_BASE_URL} or http://127.0.0.1:4010)`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return problem('invalid_base_url', `${source} must be an http(s) URL, got scheme "${url.protocol}"`)
  }
  if (url.username !== '' || url.password !== '') {
    // Never echo the URL here: the credentials are the problem.
    return problem('invalid_base_url', `${source} must not contain credentials; pass the API key as the apiKey option or REFOLD_API_KEY`)
  }
  if (url.search !== '' || url.hash !== '') {
    return problem('invalid_base_url', `${source} must not have a query or fragment: ${url.origin}${url.pathname}`)
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return problem(
      'insecure_base_url',
      `Refusing to send the Refold API key over plain http to ${url.host} (${source}): use https, ` +
        'or a loopback address (127.0.0.1, ::1, localhost) for a local emulator',
    )
  }
  return { origin: url.origin, pathPrefix: url.pathname.replace(/\/+$/, '') }
}

/**
 * Whether `hostname` (as `URL#hostname` gives it: IPv6 in brackets, IPv4 normalised) is a
 * loopback address: `localhost`, 127.0.0.0/8, `::1`, or IPv4-mapped 127.0.0.0/8.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase()
  if (host === 'localhost' || host === 'localhost.') return true
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true
  if (host === '[::1]') return true
  // WHATWG URL writes ::ffff:127.0.0.1 as [::ffff:7f00:1]; the first hextet 7f.. is 127.x.
  return /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host)
}

/** Why a base URL is refused; `problem` is the code the runtime's configuration error carries. */
export interface BaseUrlProblem {
  problem: 'invalid_base_url' | 'insecure_base_url'
  message: string
}

function problem(code: BaseUrlProblem['problem'], message: string): BaseUrlProblem {
  return { problem: code, message }
}
