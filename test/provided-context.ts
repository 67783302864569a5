// What the global setup provides to tests (`inject()`), typed for both the Node and workerd sides.
declare module "vitest" {
  interface ProvidedContext {
    databaseUrl: string;
    /** A second database, for tests that need to own every row (e.g. "the last superuser"). */
    isolatedDatabaseUrl: string;
    /** A database migrated through 0005 with rows written in the shape before it (sessions-upgrade.test.ts). */
    upgradedDatabaseUrl: string;
    /** A third, whose signing_keys table test/integration/jwks.test.ts owns (a Worker under ES256). */
    keysDatabaseUrl: string;
    jwtSecret: string;
    /** The Pwned Passwords stand-in (test/node/helpers/pwned-range-server.ts), no trailing slash. */
    pwnedServerUrl: string;
    /** The stand-in mail provider (scripts/lib/mail-catcher.ts): `${url}/emails`, `${url}/outbox`. */
    mailCatcher: { url: string; apiKey: string };
  }

  // What a Worker test file reports back to the Node side (test/openapi-reporter.ts).
  interface TaskMeta {
    /** How many of the file's responses fetchWorker checked against the document, and skipped. */
    openApi?: { validated: number; skipped: number };
  }
}

export {};
