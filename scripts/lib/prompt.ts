import { createInterface } from "node:readline";
import { type Readable, Writable } from "node:stream";

/** Input ended (Ctrl-D) or Ctrl-C was pressed before a line was entered. */
export class PromptCancelled extends Error {
  constructor() {
    super("Operation cancelled.");
  }
}

/** The two entries of a new password differ. */
export class PasswordsDiffer extends Error {
  constructor() {
    super("Your passwords didn't match.");
  }
}

// readline echoes keystrokes to its output; giving it one that drops them hides what is typed.
const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });

/**
 * Asks for a new password twice without echoing it (Django's createsuperuser prompts) and returns
 * it when both entries match. Prompts go to `output`; the answers are never written anywhere.
 */
export async function readNewPassword(input: Readable, output: Writable): Promise<string> {
  // terminal: a TTY goes into raw mode, so readline, not the terminal, decides what is echoed.
  const rl = createInterface({ input, output: discard(), terminal: true, historySize: 0 });
  // In raw mode Ctrl-C arrives as input rather than as a signal; without a listener readline
  // would just pause and wait forever.
  rl.on("SIGINT", () => rl.close());
  // The iterator buffers lines, so two answers arriving in one chunk (a paste, a test) both count.
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (question: string): Promise<string> => {
    output.write(question);
    const { value, done } = await lines.next();
    output.write("\n");
    if (done) throw new PromptCancelled();
    return value;
  };
  try {
    const password = await ask("Password: ");
    if ((await ask("Password (again): ")) !== password) throw new PasswordsDiffer();
    return password;
  } finally {
    rl.close();
  }
}
