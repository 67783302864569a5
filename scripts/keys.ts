/**
 * The token signing keys (JWT_ALGORITHM ES256 or EdDSA), in the database DATABASE_URL names,
 * picked as `createsuperuser` picks it:
 *   npm run keys:list                       every key, its status and times
 *   npm run keys:rotate                     adds a `next` key, signing after JWT_KEY_PUBLISH_SECONDS
 *   npm run keys:rotate -- --revoke KID     revokes a key at once; a successor signs from now
 * Reads the Worker's vars from the environment: JWT_ALGORITHM, JWT_KEY_ENCRYPTION_KEY (to seal new
 * keys), JWT_KEY_PUBLISH_SECONDS, ACCESS_TOKEN_TTL and REFRESH_TOKEN_TTL (how long a retired key
 * verifies). Exits 0 on success and 1, saying why, on anything else. Never prints a private key.
 */
import { parseArgs } from "node:util";
import * as z from "zod";
import { createDb } from "../src/db/client";
import { toSigningKeyInfo } from "../src/schemas/signing-keys";
import { DomainError } from "../src/services/domain-errors";
import { checkSigningKeyVars, SigningKeyVars } from "../src/services/key-lifecycle";
import { SigningKeys } from "../src/services/signing-keys";
import { Refusal, withTargetDatabase } from "./lib/target-database";

const USAGE = "Usage: npm run keys:list | npm run keys:rotate [-- --revoke KID]";

const seconds = z.coerce.number().int().positive();
const KeyCliVars = SigningKeyVars.extend({
  ACCESS_TOKEN_TTL: seconds.default(3600),
  REFRESH_TOKEN_TTL: seconds.default(604_800),
}).superRefine(checkSigningKeyVars);

// A kid is base64url and may begin with "-", which parseArgs would take for an option: joined to
// its flag as `--revoke=KID`, it is always the value.
const joinRevoke = (args: string[]) =>
  args.flatMap((arg, i) =>
    arg === "--revoke" && i + 1 < args.length ? [] : args[i - 1] === "--revoke" ? [`--revoke=${arg}`] : [arg],
  );

function readArguments() {
  try {
    const { values, positionals } = parseArgs({
      args: joinRevoke(process.argv.slice(2)),
      allowPositionals: true,
      options: { revoke: { type: "string" } },
    });
    const [command] = positionals;
    if ((command !== "list" && command !== "rotate") || positionals.length > 1) throw new Error("Unknown command.");
    if (command === "list" && values.revoke) throw new Error("--revoke goes with keys:rotate.");
    return { command, revoke: values.revoke };
  } catch (error) {
    throw new Refusal(`${(error as Error).message}\n${USAGE}`);
  }
}

function readVars() {
  const parsed = KeyCliVars.safeParse(process.env);
  if (!parsed.success) {
    throw new Refusal(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n"));
  }
  return parsed.data;
}

function printKeys(keys: SigningKeys, rows: Awaited<ReturnType<SigningKeys["list"]>>, now: Date): void {
  if (rows.length === 0) {
    console.log("No signing keys yet: the Worker makes the first on its first use of ES256 or EdDSA.");
    return;
  }
  const infos = rows.map((row) => toSigningKeyInfo(row, keys.policy, now));
  console.table(
    infos.map(({ kid, alg, generation, status, activates_at, retired_at, revoked_at, verifies_until }) => ({
      kid,
      alg,
      generation,
      status,
      signs_from: activates_at,
      retired_at: retired_at ?? "",
      revoked_at: revoked_at ?? "",
      verifies_until: verifies_until ?? (status === "revoked" ? "never" : "no end set"),
    })),
  );
}

async function main(): Promise<void> {
  const { command, revoke } = readArguments();
  const vars = readVars();
  if (command === "rotate" && !revoke && vars.JWT_ALGORITHM === "HS256") {
    throw new Refusal(
      "JWT_ALGORITHM is HS256: tokens are signed with JWT_SECRET, not with keys. Set it to ES256 or EdDSA.",
    );
  }
  await withTargetDatabase(process.env.DATABASE_URL, async (database) => {
    const keys = new SigningKeys({
      algorithm: vars.JWT_ALGORITHM,
      // Only the asymmetric keys are handled here; the HMAC key is never used.
      hmacSecret: "",
      db: createDb(database.url),
      keyEncryptionKey: vars.JWT_KEY_ENCRYPTION_KEY,
      policy: {
        tokenLifetimeSeconds: Math.max(vars.ACCESS_TOKEN_TTL, vars.REFRESH_TOKEN_TTL),
        publishSeconds: vars.JWT_KEY_PUBLISH_SECONDS,
      },
    });
    const now = new Date();
    if (command === "rotate" && revoke) {
      await keys.revoke(revoke, now);
      console.log(`Revoked ${revoke} in ${database.description}: tokens it signed are refused from now on.`);
    } else if (command === "rotate") {
      const created = await keys.rotate(now);
      const from = created.activatesAt.toISOString();
      console.log(
        `Added ${created.kid} (${created.alg}) in ${database.description}; published now, signing from ${from}.`,
      );
    }
    printKeys(keys, await keys.list(), now);
  });
}

try {
  await main();
} catch (error) {
  if (error instanceof Refusal || error instanceof DomainError) console.error(`Error: ${error.message}`);
  else console.error(error);
  process.exitCode = 1;
}
