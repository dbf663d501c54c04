// The one error shape of the CLI's --json and of the library: { error: { code, message, hint }, exit_code }.
import { errorMessage, isHarnessError } from '../common/harness-error.js';
import { EXIT_CODES } from '../common/verdict.js';

export interface ErrorObject {
  error: { code: string; message: string; hint: string | null };
  exit_code: number;
}

export function errorObject(error: unknown): ErrorObject {
  if (isHarnessError(error)) return { error: { code: error.code, message: error.message, hint: error.hint ?? null }, exit_code: error.exitCode };
  return { error: { code: 'INTERNAL', message: errorMessage(error), hint: null }, exit_code: EXIT_CODES.harnessError };
}

/** What the library rejects with: the same fields the CLI prints with --json, on an Error. */
export class OomHarnessError extends Error implements ErrorObject {
  readonly error: ErrorObject['error'];
  readonly exit_code: number;

  constructor(object: ErrorObject, cause: unknown) {
    super(object.error.message, { cause });
    this.name = 'OomHarnessError';
    this.error = object.error;
    this.exit_code = object.exit_code;
  }
}

/** Runs `work`, turning any failure into an OomHarnessError. */
export async function rejectingWithErrorObject<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof OomHarnessError ? error : new OomHarnessError(errorObject(error), error);
  }
}
