/**
 * `npm run import:django -- --from mysql://USER:PASS@HOST:PORT/DB | dump.json [options]`: brings a
 * Django system's users, their password hashes and their DRF tokens into the database DATABASE_URL
 * names, picked as `npm run createsuperuser` picks it. See README "Moving from Django".
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { createDb } from "../src/db/client";
import { DEFAULT_HASH_LIMITS } from "../src/services/django-hashes";
import { readDump } from "./lib/django/dump-source";
import { describeReport } from "./lib/django/import-report";
import { wranglerMedia } from "./lib/django/media-store";
import { readDjangoDatabase } from "./lib/django/mysql-source";
import { progressBar } from "./lib/django/progress-bar";
import { runImport } from "./lib/django/run-import";
import { sendResets } from "./lib/django/send-reset";
import { Refusal, resolveTarget, withTargetDatabase } from "./lib/target-database";

const USAGE = `Usage: npm run import:django -- --from mysql://USER:PASS@HOST:PORT/DB | dump.json
  [--users-table TABLE | app.model] [--dry-run] [--map-role OLD=NEW ...] [--token-ttl SECONDS]
  [--media-root DIR] [--persist-to DIR] [--send-reset [--reset-url URL]]`;
const DEFAULT_ROLES = "student,teacher,admin,doctor,patient";

function readOptions() {
  try {
    return parseArgs({
      options: {
        from: { type: "string" },
        "users-table": { type: "string" },
        "dry-run": { type: "boolean" },
        "map-role": { type: "string", multiple: true },
        "token-ttl": { type: "string" },
        "media-root": { type: "string" },
        "persist-to": { type: "string" },
        "send-reset": { type: "boolean" },
        "reset-url": { type: "string" },
      },
    }).values;
  } catch (error) {
    throw new Refusal(`${(error as Error).message}\n${USAGE}`);
  }
}

function roleMap(pairs: string[] = []): Map<string, string> {
  return new Map(
    pairs.map((pair) => {
      const [from, to, ...rest] = pair.split("=");
      if (from === undefined || !to || rest.length > 0) throw new Refusal(`--map-role takes OLD=NEW, got "${pair}"`);
      return [from, to];
    }),
  );
}

function positiveInteger(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(text)) throw new Refusal(`${name} must be a positive whole number, got "${text}"`);
  return Number(text);
}

async function readSource(from: string, usersTable: string | undefined) {
  if (/^mysql:\/\//.test(from)) return readDjangoDatabase(from, usersTable);
  return readDump(await readFile(from, "utf8"), from, usersTable);
}

async function main(): Promise<void> {
  const options = readOptions();
  if (!options.from) throw new Refusal(`--from is required.\n${USAGE}`);
  const dryRun = !!options["dry-run"];
  const databaseUrl = process.env.DATABASE_URL;
  // A DATABASE_URL that names no database is reported before the options and the source are read.
  resolveTarget(databaseUrl);
  const importOptions = {
    // The Worker's vars, as wrangler.toml or the environment set them.
    roles: (process.env.ROLES || DEFAULT_ROLES).split(",").map((role) => role.trim()),
    roleMap: roleMap(options["map-role"]),
    hashLimits: {
      maxImportedPbkdf2Iterations:
        positiveInteger(process.env.MAX_IMPORTED_PBKDF2_ITERATIONS, "MAX_IMPORTED_PBKDF2_ITERATIONS") ??
        DEFAULT_HASH_LIMITS.maxImportedPbkdf2Iterations,
    },
    dryRun,
    tokenTtlSeconds: positiveInteger(options["token-ttl"], "--token-ttl"),
    onProgress: progressBar(process.stderr),
  };
  const source = await readSource(options.from, options["users-table"]);
  console.log(`Django: ${source.users.length} users, ${source.tokens.length} tokens from ${source.description}`);
  // A dry run writes nothing, schema included: it needs a database that is migrated already.
  await withTargetDatabase(
    databaseUrl,
    async (database, target) => {
      const media =
        options["media-root"] &&
        wranglerMedia(options["media-root"], { remote: target.kind === "http", persistTo: options["persist-to"] });
      const started = performance.now();
      const report = await runImport(createDb(database.url), source, importOptions, media || undefined);
      console.log(describeReport(report));
      console.log(`Into ${database.description} in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
      if (options["send-reset"] && report.mustReset.length > 0) {
        const base = options["reset-url"] || process.env.PUBLIC_URL;
        if (!base) throw new Refusal("--send-reset needs --reset-url or PUBLIC_URL: the Worker that sends the mail.");
        console.log(await sendResets(base, report.mustReset, dryRun));
      }
    },
    { migrate: !dryRun },
  );
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Refusal ? `Error: ${error.message}` : error);
  process.exitCode = 1;
}
