/** The command line is written wrongly: a one-line message, a pointer to --help, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose --help to suggest. */
    readonly command?: string,
  ) {
    super(message);
  }
}

/** The command was understood but cannot be done (no such tenant, no such client): exit code 1. */
export class CliFailure extends Error {}
