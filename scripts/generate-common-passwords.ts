// Writes src/services/common-passwords.txt, the list behind the CommonPasswordValidator port: Django's
// own django/contrib/auth/common-passwords.txt.gz (BSD-licensed, as Django), taken from Debian's
// python3-django (Django 3.2.25 in bookworm). To regenerate:
//
//   apt-get install -y python3-django
//   npx tsx scripts/generate-common-passwords.ts [path to common-passwords.txt.gz]
//
// The path defaults to Debian's. Every entry is kept, the short ones too, so that a short common
// password gets both of Django's messages.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { pythonStrip } from "../src/services/python-text";

const DEBIAN_LIST = "/usr/lib/python3/dist-packages/django/contrib/auth/common-passwords.txt.gz";
const OUTPUT = join(import.meta.dirname, "..", "src", "services", "common-passwords.txt");

const gzipped = readFileSync(process.argv[2] ?? DEBIAN_LIST);
const source = new TextDecoder("utf-8", { fatal: true }).decode(gunzipSync(gzipped));
// Django reads the file in text mode (universal newlines: \r\n, \r and \n end a line) and builds
// {line.strip() for line in f}: stripped as Python strips, not lower-cased.
const lines = source.split(/\r\n?|\n/);
if (lines.at(-1) === "") lines.pop();
const entries = lines.map(pythonStrip);
// A blank line would make a blank password common in Django; one entry a line cannot say that.
if (entries.includes("")) throw new Error("the list has a blank line");

// Sorted, the list compresses better than in Django's frequency order (56 KiB gzipped, against 80 KiB).
const passwords = [...new Set(entries)].sort();
writeFileSync(OUTPUT, `${passwords.join("\n")}\n`);
console.log(`wrote ${passwords.length} passwords to ${OUTPUT}`);
