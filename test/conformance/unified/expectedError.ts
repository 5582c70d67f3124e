import { MongoBulkWriteError, MongoError, MongoOperationTimeoutError, MongoServerError } from 'mongodb';
import type { EntityMap } from './entities';
import { findMismatch } from './match';
import { RunnerError } from './runnerError';
import type { ExpectedError } from './types';
import { describeValue } from './values';

interface WriteErrorLike {
  code?: number;
  errmsg?: string;
}

/** The write errors of a bulk write error (one or many), else none. */
function writeErrorsOf(error: unknown): WriteErrorLike[] {
  if (!(error instanceof MongoBulkWriteError)) return [];
  const errors = error.writeErrors as WriteErrorLike | WriteErrorLike[];
  return Array.isArray(errors) ? errors : [errors];
}

/** Codes an error carries: its own, its write errors', its write concern error's. */
function codesOf(error: unknown): number[] {
  const codes: number[] = [];
  if (error instanceof MongoError && typeof error.code === 'number') codes.push(error.code);
  for (const writeError of writeErrorsOf(error)) if (typeof writeError.code === 'number') codes.push(writeError.code);
  const concern = (error as { writeConcernError?: WriteErrorLike }).writeConcernError;
  if (concern && typeof concern.code === 'number') codes.push(concern.code);
  return codes;
}

function messagesOf(error: unknown): string[] {
  const messages = [error instanceof Error ? error.message : String(error)];
  for (const writeError of writeErrorsOf(error)) if (writeError.errmsg) messages.push(writeError.errmsg);
  return messages;
}

/** A one-line description of an error for failure messages. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return describeValue(error);
  const code = (error as { code?: unknown }).code;
  return `${error.name}${code !== undefined ? ` (code ${String(code)})` : ''}: ${error.message}`;
}

/**
 * Checks an operation's error against `expectError`. A client error is any error not derived from
 * a server reply (anything but a MongoServerError: argument validation, network failures).
 * Answers with the first unmet assertion or null.
 * @throws RunnerError for assertions only client-level bulkWrite uses.
 */
export function checkExpectedError(expected: ExpectedError, error: unknown, entities: EntityMap): string | null {
  const isServerError = error instanceof MongoServerError;
  if (expected.isClientError !== undefined && expected.isClientError === isServerError) {
    return `expected a ${expected.isClientError ? 'client' : 'server'} error, got ${describeError(error)}`;
  }
  if (expected.isTimeoutError !== undefined && expected.isTimeoutError !== error instanceof MongoOperationTimeoutError) {
    return `expected ${expected.isTimeoutError ? 'a' : 'no'} timeout error, got ${describeError(error)}`;
  }
  if (expected.errorContains !== undefined) {
    const needle = expected.errorContains.toLowerCase();
    if (!messagesOf(error).some((message) => message.toLowerCase().includes(needle))) {
      return `expected the error message to contain "${expected.errorContains}", got ${describeError(error)}`;
    }
  }
  if (expected.errorCode !== undefined && !codesOf(error).includes(Number(expected.errorCode))) {
    return `expected error code ${expected.errorCode}, got ${describeError(error)}`;
  }
  if (expected.errorCodeName !== undefined) {
    const codeName = (error as { codeName?: string }).codeName;
    if (codeName?.toLowerCase() !== expected.errorCodeName.toLowerCase()) {
      return `expected codeName ${expected.errorCodeName}, got ${codeName ?? 'none'} (${describeError(error)})`;
    }
  }
  const hasLabel = (label: string) => error instanceof MongoError && error.hasErrorLabel(label);
  for (const label of expected.errorLabelsContain ?? []) {
    if (!hasLabel(label)) return `expected error label ${label}, got ${describeError(error)}`;
  }
  for (const label of expected.errorLabelsOmit ?? []) {
    if (hasLabel(label)) return `expected no error label ${label}`;
  }
  if (expected.errorResponse !== undefined) {
    const response = isServerError ? error.errorResponse : undefined;
    const mismatch = findMismatch(expected.errorResponse, response, { root: true, entities });
    if (mismatch) return `errorResponse ${mismatch}; actual response: ${describeValue(response, 400)}`;
  }
  if (expected.expectResult !== undefined) {
    const result = error instanceof MongoBulkWriteError ? error.result : undefined;
    const mismatch = findMismatch(expected.expectResult, result, { root: true, entities });
    if (mismatch) return `error's result ${mismatch}`;
  }
  if (expected.writeErrors !== undefined || expected.writeConcernErrors !== undefined) {
    throw new RunnerError('writeErrors/writeConcernErrors assertions are for client-level bulkWrite, which the runner does not support');
  }
  return null;
}
