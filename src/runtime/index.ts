/**
 * `refold-events/runtime`: what generated `fire<Event>()` helpers import, and what a backend
 * uses to fire events and receive Refold's webhooks. Small on purpose: node built-ins only at
 * import time, undici loaded on the first fire, no schema compiler.
 */
export { createClient } from './client.js'
export { getDefaultClient, setDefaultClient } from './default-client.js'
export {
  VALIDATE_MODES,
  type ClientOptions,
  type FireResult,
  type InvalidPayloadContext,
  type InvalidPayloadHook,
  type RefoldClient,
  type ValidateMode,
} from './client-options.js'
export type { InvalidPayloadIssue, InvalidPayloadReport } from './invalid-payload-report.js'
export { HOOK_FAILED_WARNING, INVALID_PAYLOAD_WARNING } from './invalid-payload-reporter.js'
export {
  recordInvalidPayloads,
  RECORDER_WARNING,
  type InvalidPayloadRecorder,
  type RecorderStats,
  type RecordInvalidPayloadsOptions,
} from './invalid-payload-recorder.js'
export { withEvent, type FireArgs, type FireRequest } from './fire-request.js'
export { copyRenamedFields, withRenamedCopies, type RenamedCopy } from '../wire/renamed-copies.js'
export type { PayloadValidator } from './payload-validation.js'
// The HTTP kit (rate limiter, retry timing, clock, base URL checks) is internal: only the types
// that ClientOptions names are public, so options can be written with their types.
export type { RetryOptions } from './retry-policy.js'
export type { RateLimitOptions } from '../http/rate-limiter.js'
export type { Transport, TransportRequest, TransportResponse } from '../http/transport.js'
export type { Clock } from '../http/clock.js'
export {
  AuthenticationError,
  InvalidEventError,
  NetworkError,
  PayloadValidationError,
  RateLimitError,
  RefoldConfigurationError,
  RefoldError,
  RefoldHttpError,
  RefoldServerError,
  TimeoutError,
  type ConfigurationProblem,
  type PayloadIssue,
  type RefoldErrorDetails,
} from './errors.js'
export { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER, type SignatureHeader } from './webhook-signature.js'
export {
  checkWebhookPayload,
  parseWebhook,
  WebhookError,
  webhookEvents,
  type ConnectionCreatedWebhook,
  type ConnectionDeletedWebhook,
  type ConnectionExpiredWebhook,
  type RefoldWebhook,
  type RefoldWebhookEvent,
  type WebhookProblem,
  type WorkflowCompletedWebhook,
  type WorkflowErroredWebhook,
} from './webhooks.js'
export {
  ARRAY,
  BOOLEAN,
  Checker,
  compactValidator,
  DATE,
  DATE_TIME,
  EMAIL,
  INTEGER,
  NULL,
  NUMBER,
  OBJECT,
  REQUIRED,
  STRING,
  URI,
  UUID,
  type Check,
  type CheckError,
} from './compact-checks.js'
