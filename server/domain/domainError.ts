import type { ErrorCode } from '../../shared/schemas/apiError';

/**
 * A broken review rule. `code` is stable (the client translates it); `fields` maps a field path
 * such as `budget.JST.year1` to what is wrong with it. The HTTP layer maps it to a 4xx response.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** One broken rule about one field, e.g. `{ code: 'budget_out_of_range', path: 'budget.JST.year1', ... }`. */
export interface FieldProblem {
  code: ErrorCode;
  path: string;
  message: string;
}

/**
 * Throws the problems as one DomainError: the first problem's code, a message naming it (and how
 * many more there are) and every problem in `fields`. Does nothing for an empty list.
 * @throws DomainError when `problems` is not empty.
 */
export function throwProblems(problems: readonly FieldProblem[]): void {
  if (problems.length === 0) return;
  const [first] = problems;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  throw new DomainError(
    first.code,
    `${first.path} ${first.message}${more}`,
    Object.fromEntries(problems.map((problem) => [problem.path, problem.message])),
  );
}
