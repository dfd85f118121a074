/** Where "now" comes from: the runtime holds one and passes it down to whatever needs the time. */
export interface Clock {
  now(): Date;
}

/** The server's own clock (its local time zone is the one dates are written in, see dates.ts). */
export const systemClock: Clock = { now: () => new Date() };
