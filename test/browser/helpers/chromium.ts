import { chromium } from "playwright-core";

/** Debian's Chromium (`apt-get install chromium`); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// No sandbox: CI and containers run as root, where Chromium's sandbox refuses to start.
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu"];

/** Starts the system Chromium; playwright-core never downloads a browser of its own. */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
