/**
 * A fault of the runner or of a test file it cannot interpret (unknown operation, argument,
 * entity). It always fails the test, even one that expects the operation to raise an error.
 */
export class RunnerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunnerError';
  }
}
