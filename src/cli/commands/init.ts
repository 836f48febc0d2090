/**
 * `refold-events init`: scaffold `refold.config.ts` and one example event in the current
 * folder, ready for `refold-events check`. Never overwrites: when any file it would
 * write exists (or another config file does), it writes nothing and exits 1.
 */
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { CONFIG_FILE_NAMES } from '../../config/load-config.js'

import { writeFileAtomic } from '../../util/atomic-write.js'
import type { CliIO } from '../io.js'
import { ExitCode } from '../exit.js'

/** `init` takes no options today; the object keeps the command signature uniform. */
export type InitOptions = Record<string, never>

/** The files `init` writes, relative to the current directory, with their contents. */
const INIT_FILES: readonly { path: string; contents: string }[] = [
  {
    path: 'refold.config.ts',
    contents: `import { defineConfig } from 'refold-events'

export default defineConfig({
  // One YAML file per Refold event.
  eventsDir: 'events',
  // Where \`refold-events generate\` writes typed fire helpers and JSON Schemas.
  outDir: 'generated',
  // Refold deployments for sync, pull and fire (--env NAME). The key is read from the
  // named environment variable, never written here.
  // environments: {
  //   production: { baseUrl: 'https://app.refold.ai', apiKeyEnv: 'REFOLD_PRODUCTION_API_KEY' },
  // },
})
`,
  },
  {
    path: 'events/new-contact-created.yaml',
    contents: `# yaml-language-server: $schema=../node_modules/refold-events/event-file.schema.json
# One Refold event. \`refold-events check\` infers its JSON Schema from sample and examples.
name: New Contact Created
description: A contact was created in our CRM.
apps: [hubspot, salesforce]
sample:
  first_name: Jane
  last_name: Doe
  email: jane@example.com
  company: Acme Inc.
examples:
  # A second real payload: company can be null, so it is inferred as nullable.
  - first_name: Bob
    last_name: Stone
    email: bob@example.org
    company: null
schema:
  properties:
    email: { description: Primary e-mail address of the contact. }
`,
  },
]

/** Run `init` in `io.cwd` and return its exit code. */
export async function runInit(_options: InitOptions, io: CliIO): Promise<number> {
  const planned = INIT_FILES.map((file) => file.path)
  const existingConfig = CONFIG_FILE_NAMES.filter((name) => !planned.includes(name))
  const taken = [...planned, ...existingConfig].filter((path) => existsSync(join(io.cwd, path)))
  if (taken.length > 0) {
    io.stderr(`error: refusing to overwrite existing files: ${taken.join(', ')} (init only creates new files; nothing was written)\n`)
    return ExitCode.error
  }
  const written: string[] = []
  try {
    for (const file of INIT_FILES) {
      await writeFileAtomic(join(io.cwd, file.path), file.contents)
      written.push(file.path)
    }
  } catch (error) {
    // Leave the folder as it was rather than half scaffolded.
    await Promise.all(written.map((path) => rm(join(io.cwd, path), { force: true })))
    throw error
  }
  for (const path of written) io.stdout(`created ${path}\n`)
  io.stdout('\nNext: edit events/new-contact-created.yaml, then run `npx refold-events check`.\n')
  return ExitCode.ok
}
