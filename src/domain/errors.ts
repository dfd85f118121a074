/**
 * The plugin's error vocabulary. Expected outcomes (a code expired, a referral already bound) are values; these are
 * faults and refusals, thrown, and mapped once to host error documents (contract/errors.ts) and once to CLI exits.
 */

/** An input with problems: every problem is collected and reported at once. */
export class ValidationError extends Error {
  constructor(
    /** What was being validated, in the domain's words ("partner", "tariff 12"). */
    readonly subject: string,
    readonly problems: readonly string[],
    /** Names the host's error document carries (`<param name=...>`), when the input is a named field. */
    readonly params: Readonly<Record<string, string>> = {},
  ) {
    super(`${subject} is invalid: ${problems.join('; ')}`);
    this.name = 'ValidationError';
  }
}

/** Something named by id does not exist. */
export class NotFoundError extends Error {
  constructor(
    /** The kind of thing, as the host names its objects ("item", "processingmodule", "partner"). */
    readonly object: string,
    message: string,
    readonly params: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** The change collides with what is there: a unique key, a row changed meanwhile. */
export class ConflictError extends Error {
  constructor(
    readonly object: string,
    message: string,
    readonly params: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** Another copy of the work holds its lock: try again later. */
export class BusyError extends Error {
  constructor(
    readonly object: string,
    message: string,
    readonly params: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'BusyError';
  }
}

/** The host's or the plugin's settings are missing or unreadable: the administrator fixes them, a retry does not. */
export class ConfigurationError extends Error {
  constructor(
    /** The setting or its source, as the host names it ("paramlist", "CryptKey"). */
    readonly object: string,
    message: string,
    readonly params: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ConfigurationError';
  }
}
