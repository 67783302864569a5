// The CPU that signing and verifying a token costs inside workerd, HS256 against ES256 and EdDSA:
// a Worker of its own (Miniflare, as wrangler runs it) loops over WebCrypto's sign or verify of a
// token-sized input, and the workerd process's CPU time is read from /proc around each loop (a
// Worker's own clocks stand still while it computes). jose's encoding around the signature costs
// the same for every algorithm, so the difference is the signature's.
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { childWorkerd, cpuSeconds } from "./workerd-cpu";

const SCRIPT = `
const ALGORITHMS = {
  HS256: { generate: { name: "HMAC", hash: "SHA-256" }, params: { name: "HMAC" } },
  ES256: { generate: { name: "ECDSA", namedCurve: "P-256" }, params: { name: "ECDSA", hash: "SHA-256" } },
  EdDSA: { generate: { name: "Ed25519" }, params: { name: "Ed25519" } },
};
// A header and claims as long as our access tokens', base64url-encoded.
const INPUT = new TextEncoder().encode("e".repeat(100) + "." + "p".repeat(230));
const prepared = new Map();
async function prepare(alg) {
  if (!prepared.has(alg)) {
    const { generate, params } = ALGORITHMS[alg];
    const key = await crypto.subtle.generateKey(generate, false, ["sign", "verify"]);
    const signer = key.privateKey ?? key;
    const verifier = key.publicKey ?? key;
    prepared.set(alg, { params, signer, verifier, signature: await crypto.subtle.sign(params, signer, INPUT) });
  }
  return prepared.get(alg);
}
export default {
  async fetch(request) {
    const url = new URL(request.url);
    const { params, signer, verifier, signature } = await prepare(url.searchParams.get("alg"));
    const count = Number(url.searchParams.get("count"));
    for (let i = 0; i < count; i++) {
      if (url.searchParams.get("op") === "sign") await crypto.subtle.sign(params, signer, INPUT);
      else if (!(await crypto.subtle.verify(params, verifier, signature, INPUT))) throw new Error("bad signature");
    }
    return new Response("ok");
  },
};`;

/** Prints the CPU milliseconds per sign and per verify for each algorithm, or why it cannot. */
export async function benchSigning(count = 20_000): Promise<void> {
  const worker = new Miniflare(
    convertV4MiniflareOptions({ modules: true, script: SCRIPT, compatibilityDate: "2026-11-01" }),
  );
  try {
    await worker.ready;
    const processes = await childWorkerd();
    if (processes.length === 0) {
      console.log("Signing CPU: not measured (it reads workerd's CPU time from Linux's /proc)");
      return;
    }
    const perOp = async (alg: string, op: string) => {
      await (await worker.dispatchFetch(`http://bench/?alg=${alg}&op=${op}&count=10`)).text();
      const before = await cpuSeconds(processes);
      await (await worker.dispatchFetch(`http://bench/?alg=${alg}&op=${op}&count=${count}`)).text();
      return (((await cpuSeconds(processes)) - before) * 1000) / count;
    };
    for (const alg of ["HS256", "ES256", "EdDSA"]) {
      const [sign, verify] = [await perOp(alg, "sign"), await perOp(alg, "verify")];
      console.log(
        `Signing CPU in workerd, ${alg}: sign ${sign.toFixed(3)} ms, verify ${verify.toFixed(3)} ms (over ${count})`,
      );
    }
  } finally {
    await worker.dispose();
  }
}
