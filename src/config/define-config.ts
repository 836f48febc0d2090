/**
 * The user-facing configuration shape of `refold.config.ts` and its defaults.
 */
import type { InferableFormat, InferOptions } from '../types.js'
import type { ResponseForm } from '../wire/event-body.js'

/**
 * The project's inference policy. An event file's `inference:` block overrides it per event
 * and adds the paths that may be null or absent; a `schema` override settles single fields.
 */
export interface InferencePolicy {
  /**
   * `true`: inferred objects reject fields the samples do not show (`additionalProperties:
   * false`) in validators and in the schema pushed to Refold. Default `false`: they accept
   * them. The generated TypeScript types are exact either way.
   */
  closedObjects?: boolean
  /**
   * String formats inferred where every value matches: `true` (default: `date-time`, `date`,
   * `uuid`), `false` (none), or a list; `email` and `uri` only when listed.
   */
  formats?: boolean | InferableFormat[]
}

/** A Refold deployment a command can target with `--env NAME`. */
export interface EnvironmentConfig {
  /** Base URL of Refold's API, e.g. `https://app.refold.ai`. */
  baseUrl: string
  /** Name of the environment variable that holds this environment's API key (never the key itself). */
  apiKeyEnv: string
}

/** How `response` is written when pushing a sample (the wire contract, src/wire). */
export type { ResponseForm }

/** What `refold.config.ts` may contain. Every key is optional. */
export interface RefoldConfig {
  /** Folder of event definition files. Default `events`. */
  eventsDir?: string
  /** Folder `generate` writes to. Default `generated`. */
  outDir?: string
  /** Schema inference policy for every event (an event's `inference:` block overrides it). */
  inference?: InferencePolicy
  /** Largest event file accepted, in bytes. Default 5 MB. */
  maxFileBytes?: number
  /** Named Refold deployments for `sync`, `pull` and `fire`. `local` is built in. */
  environments?: Record<string, EnvironmentConfig>
  sync?: {
    /** Form of `response` written to Refold. Default `payload`. */
    responseForm?: ResponseForm
    /** Requests in flight at once during apply. Default 4. */
    concurrency?: number
    /** Request rate ceiling, under Refold's documented 20/s. Default 15. */
    requestsPerSecond?: number
    /**
     * An acknowledged field rename (`renames:`) keeps the old field as a copy of the new one, in
     * the schema pushed to Refold and in every fire of the generated helpers, until its entry
     * says `expand: false` (the contraction). `false`: renames drop the old name at once.
     * Default `true`.
     */
    expandRenames?: boolean
  }
  /** The built-in `local` environment (the embedded emulator). */
  emulator?: {
    /** State file. Default `.refold/emulator.json`. */
    state?: string
    /** Workflows (YAML or JSON) the local emulator runs on fires. */
    workflows?: string
  }
  runtime?: {
    /** Header that carries `idempotencyKey`. Default `idempotency-key`. */
    idempotencyHeader?: string
  }
}

/** The configuration with every default filled in and every path absolute. */
export interface ResolvedConfig {
  /** Folder the config was resolved against (the config file's folder, or cwd). */
  root: string
  /** Absolute path of the config file, or null when running on defaults. */
  configFile: string | null
  eventsDir: string
  outDir: string
  inference: InferOptions
  maxFileBytes: number
  environments: Record<string, EnvironmentConfig>
  sync: { responseForm: ResponseForm; concurrency: number; requestsPerSecond: number; expandRenames: boolean }
  emulator: { state: string; workflows: string | null }
  runtime: { idempotencyHeader: string }
}

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024

/** Identity helper that gives `refold.config.ts` type checking and completion. */
export function defineConfig(config: RefoldConfig): RefoldConfig {
  return config
}
