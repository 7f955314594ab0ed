/** A report argument the caller got wrong; the GraphQL layer turns it into BAD_USER_INPUT. */
export class InvalidArgumentError extends Error {
  constructor(
    readonly argumentName: string,
    message: string,
  ) {
    super(`Argument "${argumentName}" ${message}`);
    this.name = 'InvalidArgumentError';
  }
}
