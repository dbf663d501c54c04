// One shape for every failure the harness reports: a code, the exit code it maps to, and the cause kept.
export type HarnessErrorCode =
  | 'BAD_INPUT'
  | 'BAD_OPTION'
  | 'ENGINE_UNAVAILABLE'
  | 'IMAGE_BUILD_FAILED'
  | 'ARTIFACT_WRITE_FAILED'
  | 'BAD_ARCHIVE';

const EXIT_CODE_BY_ERROR: Record<HarnessErrorCode, number> = {
  BAD_INPUT: 2,
  BAD_OPTION: 2,
  BAD_ARCHIVE: 2,
  ENGINE_UNAVAILABLE: 5,
  IMAGE_BUILD_FAILED: 5,
  ARTIFACT_WRITE_FAILED: 5,
};

export class HarnessError extends Error {
  readonly code: HarnessErrorCode;
  readonly exitCode: number;
  readonly hint: string | undefined;

  constructor(code: HarnessErrorCode, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, { cause: options.cause });
    this.name = 'HarnessError';
    this.code = code;
    this.exitCode = EXIT_CODE_BY_ERROR[code];
    this.hint = options.hint;
  }
}

export function isHarnessError(error: unknown): error is HarnessError {
  return error instanceof HarnessError;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
