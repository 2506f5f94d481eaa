import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Mailer } from './notifications/mailer.ts';

/** What every core service is built with. The clock is injectable so expiry can be tested. */
export interface CoreContext {
  database: Database;
  config: Config;
  clock: () => Date;
  mailer: Mailer;
}
