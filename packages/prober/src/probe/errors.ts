// Errors the probe raises instead of returning a result. A target's misbehaviour is never one
// of these: it always becomes a ProbeResult.

/**
 * The catalog (or the environment it points to) cannot produce a request: an auth environment
 * variable is not set, a header value is not sendable. The service marks the API misconfigured
 * and keeps probing the others. The message names the API and the variable or header, never a
 * value.
 */
export class MisconfiguredError extends Error {
  override readonly name = 'MisconfiguredError';

  constructor(
    readonly api: string,
    detail: string,
    /** The environment variable that is missing, when that is the cause. */
    readonly variable?: string
  ) {
    super(`API "${api}": ${detail}`);
  }

  static missingEnv(api: string, variable: string, field: string): MisconfiguredError {
    return new MisconfiguredError(api, `environment variable ${variable} (${field}) is not set or empty`, variable);
  }
}

/** The caller's AbortSignal fired (shutdown): the probe did not complete and is not a result. */
export class ProbeAbortedError extends Error {
  override readonly name = 'AbortError';

  constructor(
    readonly api: string,
    readonly endpoint: string
  ) {
    super(`probe of ${api}/${endpoint} aborted`);
  }
}
