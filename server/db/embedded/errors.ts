import type { Document } from 'bson';

/**
 * An error the embedded server reports to the client exactly as MongoDB would:
 * `{ ok: 0, errmsg, code, codeName, ...extra }` for a command error, or an entry in
 * `writeErrors` (with `ok: 1` on the command) for a per-document write error.
 */
export class CommandError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    /** Extra fields MongoDB puts on the error document (e.g. keyPattern/keyValue for 11000). */
    readonly extra: Document = {},
  ) {
    super(message);
    this.name = 'CommandError';
  }

  toReply(): Document {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }
}

/** MongoDB's error codes used by the embedded server (names as MongoDB spells them). */
export const ErrorCodes = {
  InternalError: [1, 'InternalError'],
  BadValue: [2, 'BadValue'],
  NoSuchKey: [4, 'NoSuchKey'],
  FailedToParse: [9, 'FailedToParse'],
  TypeMismatch: [14, 'TypeMismatch'],
  IllegalOperation: [20, 'IllegalOperation'],
  NamespaceNotFound: [26, 'NamespaceNotFound'],
  IndexNotFound: [27, 'IndexNotFound'],
  PathNotViable: [28, 'PathNotViable'],
  ConflictingUpdateOperators: [40, 'ConflictingUpdateOperators'],
  CursorNotFound: [43, 'CursorNotFound'],
  NamespaceExists: [48, 'NamespaceExists'],
  DollarPrefixedFieldName: [52, 'DollarPrefixedFieldName'],
  EmptyFieldName: [56, 'EmptyFieldName'],
  CommandNotFound: [59, 'CommandNotFound'],
  ImmutableField: [66, 'ImmutableField'],
  InvalidOptions: [72, 'InvalidOptions'],
  InvalidNamespace: [73, 'InvalidNamespace'],
  IndexOptionsConflict: [85, 'IndexOptionsConflict'],
  IndexKeySpecsConflict: [86, 'IndexKeySpecsConflict'],
  OperationFailed: [96, 'OperationFailed'],
  DocumentValidationFailure: [121, 'DocumentValidationFailure'],
  InvalidIdField: [53, 'InvalidIdField'],
  NotImplemented: [238, 'NotImplemented'],
  DBPathInUse: [98, 'DBPathInUse'],
  GraphContainsCycle: [140, 'GraphContainsCycle'],
  ViewDepthLimitExceeded: [165, 'ViewDepthLimitExceeded'],
  CommandNotSupportedOnView: [166, 'CommandNotSupportedOnView'],
  OptionNotSupportedOnView: [167, 'OptionNotSupportedOnView'],
  CannotIndexParallelArrays: [171, 'CannotIndexParallelArrays'],
  DuplicateKey: [11000, 'DuplicateKey'],
  Location40414: [40414, 'Location40414'],
  BSONObjectTooLarge: [10334, 'BSONObjectTooLarge'],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCodeName = keyof typeof ErrorCodes;

/** Builds a CommandError from a code name in {@link ErrorCodes}. */
export function commandError(name: ErrorCodeName, message: string, extra: Document = {}): CommandError {
  const [code, codeName] = ErrorCodes[name];
  return new CommandError(code, codeName, message, extra);
}
