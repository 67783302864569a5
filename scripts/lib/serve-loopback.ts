import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A local stand-in server, listening. */
export interface LoopbackServer {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  /** Stops it, ending kept-alive connections too, which would otherwise hold it open. */
  close(): Promise<void>;
}

/** Has `server` listen on a free port of 127.0.0.1, reachable from this machine only. */
export async function serveLoopback(server: Server): Promise<LoopbackServer> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
