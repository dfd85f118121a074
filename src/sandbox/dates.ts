/** The sandbox's dates are the domain's. */
export * from '../domain/dates';
