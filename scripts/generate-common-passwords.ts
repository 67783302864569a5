// Writes src/services/common-passwords.txt, the list behind the CommonPasswordValidator port, from the
// frequency-ordered `passwords.json` of @zxcvbn-ts/language-common (MIT). The package is only needed
// here, so it is installed outside the project. To regenerate:
//
//   npm install --prefix /tmp/pwlist @zxcvbn-ts/language-common
//   npx tsx scripts/generate-common-passwords.ts /tmp/pwlist/node_modules/@zxcvbn-ts/language-common
//
// Django checks its own 20,000-entry list; the zxcvbn-ts list is larger (~49,000), and keeping only
// entries of at least MIN_LENGTH characters leaves ~18,000, a comparable size: shorter passwords
// already fail the minimum-length validator, so checking them too would only grow the bundle.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// Must equal MIN_LENGTH in src/services/password-validators.ts.
const MIN_LENGTH = 8;
const OUTPUT = join(import.meta.dirname, "..", "src", "services", "common-passwords.txt");

const packagePath = process.argv[2];
if (!packagePath) {
  console.error("usage: tsx scripts/generate-common-passwords.ts <path to @zxcvbn-ts/language-common>");
  process.exit(1);
}

const source: unknown = JSON.parse(readFileSync(join(packagePath, "src", "passwords.json"), "utf8"));
if (!Array.isArray(source) || !source.every((entry) => typeof entry === "string")) {
  throw new Error("expected passwords.json to be an array of strings");
}

// Normalised as Django's validator normalises the candidate (lower-cased, stripped); lengths in code
// points, as Python counts them.
const passwords = [...new Set(source.map((entry: string) => entry.toLowerCase().trim()))]
  .filter((entry) => Array.from(entry).length >= MIN_LENGTH && !entry.includes("\n"))
  .sort();

writeFileSync(OUTPUT, `${passwords.join("\n")}\n`);
console.log(`wrote ${passwords.length} passwords to ${OUTPUT}`);
