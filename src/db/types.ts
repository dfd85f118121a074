/** What every query function takes first: the database, or a transaction on it. */
import type { Knex } from 'knex';

export type Db = Knex | Knex.Transaction;
