/** An assertion of a test that did not hold: the test fails with this message as its reason. */
export class TestFailure extends Error {
  constructor(
    message: string,
    /** Longer explanation printed with --verbose. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'TestFailure';
  }
}
