/** A mistake in the command line: the command prints its usage and exits with 2. */
export class UsageError extends Error {}

/**
 * Runs a command's `main` with the process's arguments and exits with its code; an error is printed
 * as `name: message` (with the usage after a UsageError) and exits with 1, or 2 for usage.
 */
export function runCommand(name: string, usage: string, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`${name}: ${(error as Error).message}`);
      if (error instanceof UsageError) console.error(usage);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}
