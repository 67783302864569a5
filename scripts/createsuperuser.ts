/**
 * `npm run createsuperuser -- --email a@b.c [--full-name "..."] [--no-input]`: creates an active
 * admin with Django's staff and superuser flags in the database DATABASE_URL names, picked as
 * `npm run dev` picks it. The password is asked twice on the terminal, or with --no-input read
 * from AUTH_SUPERUSER_PASSWORD. Exits 0 on success and 1, saying why, on anything else.
 */
import { parseArgs } from "node:util";
import type * as z from "zod";
import { createDb } from "../src/db/client";
import { SuperuserInput } from "../src/schemas/account-requests";
import { toFieldErrors } from "../src/schemas/messages";
import { type FieldErrors, ValidationFailed } from "../src/services/domain-errors";
import { PasswordsDiffer, PromptCancelled, readNewPassword } from "./lib/prompt";
import { Refusal, resolveTarget, withTargetDatabase } from "./lib/target-database";
import { registerTextModules } from "./lib/text-modules";

const USAGE = 'Usage: npm run createsuperuser -- --email EMAIL [--full-name "NAME"] [--no-input]';
const PASSWORD_VARIABLE = "AUTH_SUPERUSER_PASSWORD";
const FIELD_LABELS: Record<string, string> = { fullName: "full name" };

function describeFieldErrors(errors: FieldErrors): string {
  const lines = Object.entries(errors).flatMap(([field, messages]) =>
    messages.map((message) => `  ${FIELD_LABELS[field] ?? field}: ${message}`),
  );
  return ["Superuser not created:", ...lines].join("\n");
}

// Field errors from the schema and from the service end up the same ValidationFailed.
function parseOrFail<Schema extends z.ZodType>(schema: Schema, value: unknown): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationFailed(toFieldErrors(result.error));
  return result.data;
}

function readOptions() {
  try {
    return parseArgs({
      options: { email: { type: "string" }, "full-name": { type: "string" }, "no-input": { type: "boolean" } },
    }).values;
  } catch (error) {
    throw new Refusal(`${(error as Error).message}\n${USAGE}`);
  }
}

async function readPassword(noInput: boolean): Promise<string> {
  if (noInput) {
    const password = process.env[PASSWORD_VARIABLE];
    if (!password) throw new Refusal(`--no-input needs the password in ${PASSWORD_VARIABLE}.`);
    return password;
  }
  // Piped input would echo nothing and could not be asked twice meaningfully; scripts have
  // --no-input for that.
  if (!process.stdin.isTTY) {
    throw new Refusal(`Standard input is not a terminal: use --no-input with ${PASSWORD_VARIABLE}.`);
  }
  try {
    return await readNewPassword(process.stdin, process.stdout);
  } catch (error) {
    if (error instanceof PasswordsDiffer || error instanceof PromptCancelled) throw new Refusal(error.message);
    throw error;
  }
}

async function main(): Promise<void> {
  const options = readOptions();
  const databaseUrl = process.env.DATABASE_URL;
  // A DATABASE_URL that names no database is reported before anything else.
  resolveTarget(databaseUrl);
  if (!options.email) throw new Refusal(`--email is required.\n${USAGE}`);
  // Checked before the password is asked for, so a typo costs no typing.
  const identity = parseOrFail(SuperuserInput.omit({ password: true }), {
    email: options.email,
    fullName: options["full-name"],
  });
  const input = parseOrFail(SuperuserInput, { ...identity, password: await readPassword(!!options["no-input"]) });
  // The validators import a .txt module, which Node loads only once the hook is registered.
  registerTextModules();
  const { checkSuperuserPassword, createSuperuser } = await import("../src/services/superusers");
  const { BreachCheckVars, breachCheckFrom } = await import("../src/services/breached-passwords");
  // The Worker's vars for the breach check, from the environment. The password is checked twice
  // (before the database is opened, and on insert): one fetch of its range serves both.
  const ranges = new Map<string, string>();
  const breaches = breachCheckFrom(parseOrFail(BreachCheckVars, process.env), {
    get: async (prefix) => ranges.get(prefix) ?? null,
    put: async (prefix, range) => void ranges.set(prefix, range),
  });
  await checkSuperuserPassword(breaches, input);

  await withTargetDatabase(databaseUrl, async (database) => {
    const user = await createSuperuser(createDb(database.url), breaches, input);
    console.log(`Superuser created: ${user.email} (id ${user.id}) in ${database.description}`);
  });
}

try {
  await main();
} catch (error) {
  if (error instanceof ValidationFailed) console.error(`Error: ${describeFieldErrors(error.errors)}`);
  else console.error(error instanceof Refusal ? `Error: ${error.message}` : error);
  process.exitCode = 1;
}
