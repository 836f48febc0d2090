/**
 * refold-events library API: configuration, loading, inference, code generation and sync
 * building blocks. The runtime used by generated code is also at `refold-events/runtime`.
 */
export type * from './types.js'
export { defineConfig } from './config/define-config.js'
export type { RefoldConfig, ResolvedConfig, EnvironmentConfig, ResponseForm, InferencePolicy } from './config/define-config.js'
export { loadConfig, resolveConfig } from './config/load-config.js'
export { formatDiagnostic } from './diagnostics.js'
export { ConfigError, DefinitionError, EmulatorStartError, EventsFolderError, SetupError } from './errors.js'
export type { EmulatorStartProblem } from './errors.js'
export { inferSchema, DEFAULT_INFER_OPTIONS } from './infer/infer-schema.js'
export { loadDefinitions } from './definitions/load-definitions.js'
export type { LoadDefinitionsOptions, LoadResult } from './definitions/load-definitions.js'
export { parseEventFile } from './definitions/parse-event-file.js'
export { toIdentifier, toFileName } from './definitions/identifier.js'
export { compileProject, compileDefinitions, compileEvent, SCHEMA_DIALECT } from './compile/compile-project.js'
export type { CompileProjectOptions, ProjectCompileResult } from './compile/compile-project.js'
export { mergeSchema } from './compile/merge-schema.js'
// The runtime (also `refold-events/runtime`): createClient, typed errors, webhooks.
export * from './runtime/index.js'
// The local Refold emulator (`refold-events emulator`; the built-in `local` environment).
export { startEmulator, DEFAULT_EMULATOR_API_KEY, DEFAULT_EMULATOR_PORT } from './emulator/index.js'
export type {
  EmulatorOptions,
  EmulatorInspector,
  RunningEmulator,
  FaultOptions as EmulatorFaultOptions,
  RequestLogEntry as EmulatorRequestLogEntry,
  RouteClass as EmulatorRouteClass,
  ApiEvent as EmulatorEvent,
  FireRecord as EmulatorFire,
  RunRecord as EmulatorRun,
  WebhookDelivery as EmulatorWebhookDelivery,
  WorkflowDefinition as EmulatorWorkflowDefinition,
} from './emulator/index.js'

// Code generation (`refold-events generate`): compiled events in, the files of outDir out.
export { generateFiles } from './codegen/generate.js'
export type { GeneratedFile } from './codegen/generate.js'
export { planOutput } from './codegen/output-plan.js'
export type { ExistingFile, FileChange, FileChangeKind, OutputPlan } from './codegen/output-plan.js'
export { BANNER_TEXT, GENERATED_BANNER, carriesBanner } from './codegen/banner.js'

// Sync (`refold-events sync` / `pull`): a pure planner over compiled events, remote events and
// workflows; output formats; apply through an EventStore; the remote adapter and targets.
export { planSync } from './sync/plan/plan-sync.js'
export type { PlanInput } from './sync/plan/plan-sync.js'
export type * from './sync/sync-types.js'
export { formatPlan, PLAN_FORMATS } from './sync/report/format-plan.js'
export type { PlanFormat } from './sync/report/format-plan.js'
export { applyPlan } from './sync/apply/apply-plan.js'
export type { ApplyOptions, ApplyOutcome, ApplyResult, EventStore } from './sync/apply/apply-plan.js'
export { parsePlanFile, serializePlan } from './sync/plan/plan-file.js'
export { pullEvents } from './pull/pull-events.js'
export type { PullInput, PullResult, PulledFile } from './pull/pull-events.js'
export { findReferences } from './sync/plan/workflow-references.js'
export { planAgainstRemote, readRemoteSide, scanWorkflows, settlePlan, verifySavedPlan, SavedPlanError } from './sync/run-sync.js'
export type { PlanPhase, PlanRequest, RemoteSide, SyncOutcome, SyncTarget } from './sync/run-sync.js'
export type { SyncPorts, WorkflowSource } from './sync/ports.js'
export type { RemoteWorkflow } from './wire/workflow-document.js'
export { RemoteHttp } from './remote/remote-http.js'
export type { RemoteHttpOptions } from './remote/remote-http.js'
export { RefoldEventsApi } from './remote/events-api.js'
export { RefoldWorkflowsApi } from './remote/workflows-api.js'
export { RemoteError } from './remote/remote-error.js'
export { ApiKey } from './remote/api-key.js'
export { resolveTarget, LOCAL_ENVIRONMENT } from './cli/resolve-target.js'
export type { Target, ResolveTargetOptions } from './cli/resolve-target.js'

// Durable fires (`refold-events/outbox`): record a fire in the caller's transaction, deliver it
// with a relay; the store drivers (better-sqlite3, pg) are optional and imported when a store opens.
export * from './outbox/index.js'
