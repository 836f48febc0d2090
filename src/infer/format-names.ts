/**
 * The names of the formats inference can claim, and the default set, apart from the
 * checks themselves (string-formats.ts loads ajv-formats): config validation needs the
 * names without paying for the checks.
 */
import type { InferableFormat } from '../types.js'

/** Every format name inference can claim, in the order of precedence. */
export const INFERABLE_FORMATS: readonly InferableFormat[] = Object.freeze(['uuid', 'date-time', 'date', 'email', 'uri'])

/**
 * The formats inferred when the policy says `formats: true` (the default): the ones with a
 * single definition every validator implements alike (RFC 3339 `date-time` and `date`,
 * RFC 4122 `uuid`). `email` and `uri` are inferred only when a policy lists them: validators
 * disagree about them, and ajv-formats rejects real values (GitHub's
 * `41898282+github-actions[bot]@users.noreply.github.com`, compare URLs with `^`), which
 * would make the pushed schema reject real events. See ARCHITECTURE.md "Formats".
 */
export const DEFAULT_FORMATS: readonly InferableFormat[] = Object.freeze(['date-time', 'date', 'uuid'])
