/**
 * The emulator's workflows file (YAML or JSON): which workflows exist, which event each
 * is attached to, and the step texts whose `{{event.x}}` references decide whether a run
 * completes. Format (README "Workflows file"):
 *
 * ```yaml
 * workflows:
 *   - name: Welcome e-mail          # required
 *     app: hubspot                  # required: the app slug
 *     event: New Contact Created    # required: exact, case-sensitive event name
 *     id: welcome-email             # optional: stable id; derived from app + name otherwise
 *     description: Greets new contacts   # optional
 *     published: true               # optional, default true; unpublished workflows never run
 *     steps:                        # required, may be empty
 *       - name: Send e-mail
 *         text: "Hi {{event.first_name}}"
 * ```
 *
 * A bare list of workflows is accepted too. Every problem is reported with
 * `file:line:column`, all at once, as a {@link DefinitionError}.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { DefinitionError } from '../errors.js'
import type { Diagnostic, Position } from '../types.js'
import { lineIndex } from '../util/line-index.js'
import { didYouMean } from '../util/suggest.js'
import type { Workflow, WorkflowDefinition } from './types.js'
import { yamlProblems } from '../definitions/yaml-errors.js'

const WORKFLOW_KEYS = ['id', 'name', 'app', 'event', 'description', 'published', 'steps']
const STEP_KEYS = ['name', 'text']
const ID_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/

/** Read and check a workflows file; `shownPath` is how errors name it. */
export async function loadWorkflowsFile(path: string, shownPath: string = path): Promise<Workflow[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String((error as Error).message)
    throw new DefinitionError([{ file: shownPath, line: 1, column: 1, severity: 'error', message: `workflows file: ${reason}` }])
  }
  return parseWorkflows(text, shownPath)
}

/** Workflows as read from a file, with where each part was written (for warnings about them). */
export interface LocatedWorkflows {
  workflows: Workflow[]
  /** `file:line:column` of a JSON Pointer into the file (`/workflows/0/event`), or its nearest parent. */
  locate: (pointer: string) => Position
  /** The pointer of workflow `index` (`/workflows/2`, or `/2` in a bare list). */
  pointerOf: (index: number) => string
}

/** Read and check a workflows file, keeping the positions of its parts. */
export async function loadWorkflowsFileLocated(path: string, shownPath: string = path): Promise<LocatedWorkflows> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String((error as Error).message)
    throw new DefinitionError([{ file: shownPath, line: 1, column: 1, severity: 'error', message: `workflows file: ${reason}` }])
  }
  return parseWorkflowsLocated(text, shownPath)
}

/** Parse workflows from YAML or JSON text. */
export async function parseWorkflows(text: string, file: string): Promise<Workflow[]> {
  return (await parseWorkflowsLocated(text, file)).workflows
}

/** {@link parseWorkflows}, keeping the positions of its parts. */
async function parseWorkflowsLocated(text: string, file: string): Promise<LocatedWorkflows> {
  const { parseDocument, isMap, isSeq } = await import('yaml')
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false })
  // Positions from the text: the parser's LineCounter drifts after a syntax error.
  const at = lineIndex(text)
  // The same wording as event files: one problem per mistake, at the line to fix.
  const syntax = yamlProblems(document, text, at)
    .filter((problem) => problem.severity === 'error')
    .map((problem): Diagnostic => ({ file, ...problem }))
  if (syntax.length > 0) throw new DefinitionError(syntax)

  // Positions of every node by JSON Pointer, so semantic errors point at the YAML line.
  const positions = new Map<string, Position>()
  const record = (node: unknown, pointer: string): void => {
    const range = (node as { range?: [number, number, number] } | null)?.range
    if (range !== undefined) positions.set(pointer, at(range[0]))
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = String((pair.key as { value?: unknown } | null)?.value ?? pair.key)
        const keyRange = (pair.key as { range?: [number, number, number] } | null)?.range
        if (keyRange !== undefined) positions.set(`${pointer}/${key}#key`, at(keyRange[0]))
        record(pair.value, `${pointer}/${key}`)
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => record(item, `${pointer}/${index}`))
    }
  }
  record(document.contents, '')
  const locate = (pointer: string): Position => {
    for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
      const found = positions.get(p)
      if (found !== undefined) return found
      if (p === '') return { line: 1, column: 1 }
    }
  }
  const data: unknown = document.toJS({ maxAliasCount: 100 })
  // Every entry is checked (an error throws), so workflow i is entry i of the list.
  const workflows = checkWorkflows(data, file, locate)
  const base = isRecord(data) ? '/workflows' : ''
  return { workflows, locate, pointerOf: (index) => `${base}/${index}` }
}

/**
 * Check workflow data (parsed from a file or given in code) and resolve ids. `locate`
 * maps a JSON Pointer to where it was written.
 */
function checkWorkflows(data: unknown, file: string, locate: (pointer: string) => Position = () => ({ line: 1, column: 1 })): Workflow[] {
  const diagnostics: Diagnostic[] = []
  const fail = (pointer: string, message: string): void => {
    diagnostics.push({ file, ...locate(pointer), severity: 'error', message })
  }
  let list: unknown = data
  let base = ''
  if (isRecord(data)) {
    for (const key of Object.keys(data)) {
      if (key !== 'workflows') fail(`/${key}#key`, `unknown key "${key}"${didYouMean(key, ['workflows'])}; expected "workflows: [...]"`)
    }
    list = data.workflows
    base = '/workflows'
  }
  if (data === null || data === undefined) list = []
  if (!Array.isArray(list)) {
    fail(base, 'expected a list of workflows (`workflows: [...]`, or a bare list)')
    throw new DefinitionError(diagnostics)
  }

  const workflows: Workflow[] = []
  const ids = new Map<string, string>()
  list.forEach((entry: unknown, index) => {
    const at = `${base}/${index}`
    if (!isRecord(entry)) return fail(at, 'expected a workflow: a mapping with name, app, event and steps')
    for (const key of Object.keys(entry)) {
      if (!WORKFLOW_KEYS.includes(key))
        fail(
          `${at}/${key}#key`,
          `unknown key "${key}"${didYouMean(key, WORKFLOW_KEYS)} in a workflow (expected ${WORKFLOW_KEYS.join(', ')})`,
        )
    }
    const text = (key: string, required: boolean): string | undefined => {
      const value = entry[key]
      if (value === undefined && !required) return undefined
      if (typeof value !== 'string' || value.trim() === '') {
        fail(value === undefined ? at : `${at}/${key}`, `"${key}" must be a non-empty string${value === undefined ? ' (missing)' : ''}`)
        return undefined
      }
      return value
    }
    const name = text('name', true)
    const app = text('app', true)
    const event = text('event', true)
    const description = text('description', false)
    const id = text('id', false)
    if (id !== undefined && !ID_PATTERN.test(id)) fail(`${at}/id`, `"id" may use letters, digits, "_", "-" and "." only (got "${id}")`)
    if (entry.published !== undefined && typeof entry.published !== 'boolean') fail(`${at}/published`, '"published" must be true or false')
    const steps = checkSteps(entry.steps, `${at}/steps`, fail)
    if (name === undefined || app === undefined || event === undefined || steps === undefined) return
    const resolvedId = id ?? derivedId(app, name)
    const previous = ids.get(resolvedId)
    if (previous !== undefined) {
      const why = id === undefined ? ` (the same app and name as the workflow at ${previous})` : ` (also used at ${previous})`
      return fail(id === undefined ? at : `${at}/id`, `duplicate workflow id "${resolvedId}"${why}`)
    }
    const where = locate(at)
    ids.set(resolvedId, `${file}:${where.line}:${where.column}`)
    workflows.push({ id: resolvedId, name, app, event, description: description ?? '', published: entry.published !== false, steps })
  })
  if (diagnostics.length > 0) throw new DefinitionError(diagnostics)
  return workflows
}

/** Workflows given in code (`startEmulator({ workflows: [...] })`). */
export function workflowsFromDefinitions(definitions: readonly WorkflowDefinition[]): Workflow[] {
  return checkWorkflows(definitions, '<workflows option>')
}

function checkSteps(value: unknown, at: string, fail: (pointer: string, message: string) => void): Workflow['steps'] | undefined {
  if (!Array.isArray(value)) {
    fail(at, `"steps" must be a list of { name, text }${value === undefined ? ' (missing)' : ''}`)
    return undefined
  }
  const steps: Workflow['steps'] = []
  let ok = true
  value.forEach((step: unknown, index) => {
    const stepAt = `${at}/${index}`
    if (!isRecord(step)) {
      ok = false
      return fail(stepAt, 'expected a step: a mapping with name and text')
    }
    for (const key of Object.keys(step)) {
      if (!STEP_KEYS.includes(key)) {
        ok = false
        fail(`${stepAt}/${key}#key`, `unknown key "${key}"${didYouMean(key, STEP_KEYS)} in a step (expected name, text)`)
      }
    }
    if (typeof step.name !== 'string' || step.name.trim() === '') {
      ok = false
      fail(step.name === undefined ? stepAt : `${stepAt}/name`, 'a step needs a non-empty "name"')
    }
    if (typeof step.text !== 'string') {
      ok = false
      fail(step.text === undefined ? stepAt : `${stepAt}/text`, 'a step needs a "text" string (it may reference {{event.field}})')
    }
    if (ok) steps.push({ name: step.name as string, text: step.text as string })
  })
  return ok ? steps : undefined
}

/** A stable 24-hex id (the shape of Refold's ids) from the app slug and the workflow name. */
function derivedId(app: string, name: string): string {
  return createHash('sha256').update(`${app}\u0000${name}`).digest('hex').slice(0, 24)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
