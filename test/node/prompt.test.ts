import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { PasswordsDiffer, PromptCancelled, readNewPassword } from "../../scripts/lib/prompt";

// A terminal stand-in: keystrokes go in as a stream, everything shown is collected.
function fakeTerminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = "";
  output.on("data", (chunk: Buffer) => (shown += chunk));
  return { input, output, shown: () => shown };
}

describe("readNewPassword", () => {
  it("returns the password when both entries match, showing only the prompts", async () => {
    const terminal = fakeTerminal();
    const reading = readNewPassword(terminal.input, terminal.output);
    terminal.input.write("s3cret-Horse\r");
    terminal.input.write("s3cret-Horse\r");
    await expect(reading).resolves.toBe("s3cret-Horse");
    expect(terminal.shown()).toBe("Password: \nPassword (again): \n");
  });

  it("takes both entries from one chunk, as when they are pasted", async () => {
    const terminal = fakeTerminal();
    const reading = readNewPassword(terminal.input, terminal.output);
    terminal.input.write("s3cret-Horse\rs3cret-Horse\r");
    await expect(reading).resolves.toBe("s3cret-Horse");
  });

  it("refuses entries that differ", async () => {
    const terminal = fakeTerminal();
    const reading = readNewPassword(terminal.input, terminal.output);
    terminal.input.write("s3cret-Horse\rs3cret-Horsf\r");
    await expect(reading).rejects.toBeInstanceOf(PasswordsDiffer);
    expect(terminal.shown()).not.toContain("s3cret");
  });

  it("is cancelled by Ctrl-C", async () => {
    const terminal = fakeTerminal();
    const reading = readNewPassword(terminal.input, terminal.output);
    terminal.input.write("s3cr\x03");
    await expect(reading).rejects.toBeInstanceOf(PromptCancelled);
  });

  it("is cancelled when input ends before the second entry", async () => {
    const terminal = fakeTerminal();
    const reading = readNewPassword(terminal.input, terminal.output);
    terminal.input.end("s3cret-Horse\r");
    await expect(reading).rejects.toBeInstanceOf(PromptCancelled);
  });
});
