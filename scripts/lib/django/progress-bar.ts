// A progress bar on a terminal; nothing when the output is a file or a pipe (CI logs, tests).
const WIDTH = 30;

/** A progress callback drawing `[#####.....] done/total` on `stream`, if it is a terminal. */
export function progressBar(stream: NodeJS.WriteStream): ((done: number, total: number) => void) | undefined {
  if (!stream.isTTY) return undefined;
  return (done, total) => {
    const filled = total === 0 ? WIDTH : Math.round((done / total) * WIDTH);
    stream.write(`\r[${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${done}/${total} users`);
    if (done >= total) stream.write("\n");
  };
}
