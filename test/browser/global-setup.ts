import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { TEST_MYSQL_URL, withDatabase } from "../../scripts/lib/database-url";
import { freePort } from "../../scripts/lib/free-port";
import { openDatabase } from "../../scripts/lib/local-database";
import { startMailCatcher } from "../../scripts/lib/mail-catcher";
import { migrateOverHttp } from "../../scripts/lib/migrate";
import { dropDatabase } from "../../scripts/lib/mysql-admin";
import { startRangeServer } from "../node/helpers/pwned-range-server";
import { CHROMIUM_PATH } from "./helpers/chromium";
import { startWranglerDev } from "./helpers/wrangler-dev";

declare module "vitest" {
  interface ProvidedContext {
    /** The Worker under `wrangler dev`, e.g. http://127.0.0.1:40123. */
    baseUrl: string;
    /** The run's database as mysql://, for the admin CLI or for seeding with mysql2. */
    mysqlUrl: string;
    /** The same database over PlanetScale's protocol, as the Worker's DATABASE_URL. */
    psdbUrl: string;
    /** The Pwned Passwords stand-in's range URL, as the Worker's and the CLI's PWNED_PASSWORDS_URL. */
    pwnedPasswordsUrl: string;
    /** The stand-in mail provider the Worker's http transport sends to: `${url}/outbox?to=…`. */
    mailCatcherUrl: string;
  }
}

/**
 * Node side of the browser tests: a fresh migrated database (`auth_browser_<random>`, dropped
 * afterwards) behind our PlanetScale-protocol server, and the Worker under `wrangler dev` with
 * its own secret, empty KV, the Pwned Passwords stand-in and the mail catcher. No Chromium or no MySQL fails the run; it never skips.
 */
export default async function setup(project: TestProject) {
  await access(CHROMIUM_PATH, constants.X_OK).catch(() => {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: \`apt-get install chromium\`, or set CHROMIUM_PATH`);
  });
  const name = `auth_browser_${randomBytes(4).toString("hex")}`;
  const mysqlUrl = withDatabase(TEST_MYSQL_URL, name);
  const database = await openDatabase({ databaseUrl: mysqlUrl });
  const persistTo = await mkdtemp(join(tmpdir(), "edge-auth-browser-"));
  const ranges = await startRangeServer();
  const pwnedPasswordsUrl = `${ranges.url}/range/`;
  const mail = await startMailCatcher();
  const teardown = async () => {
    await Promise.all([ranges.close(), mail.close()]);
    await database.close();
    await dropDatabase(TEST_MYSQL_URL, name);
    await rm(persistTo, { recursive: true, force: true });
  };
  try {
    await migrateOverHttp(database.url);
    // Mail goes through the http transport to the catcher, as in `npm run dev`; links on this Worker.
    const port = await freePort();
    const worker = await startWranglerDev({
      vars: {
        JWT_SECRET: randomBytes(48).toString("hex"),
        DATABASE_URL: database.url,
        PWNED_PASSWORDS_URL: pwnedPasswordsUrl,
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        ...mail.workerVars,
      },
      persistTo,
      port,
    });
    project.provide("baseUrl", worker.url);
    project.provide("mysqlUrl", mysqlUrl);
    project.provide("psdbUrl", database.url);
    project.provide("pwnedPasswordsUrl", pwnedPasswordsUrl);
    project.provide("mailCatcherUrl", mail.url);
    return async () => {
      await worker.stop();
      await teardown();
    };
  } catch (error) {
    await teardown();
    throw error;
  }
}
