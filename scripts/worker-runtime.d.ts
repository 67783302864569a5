// What src/ code that scripts import takes from the Workers runtime, declared for type-checking it
// under Node's types. At run time a script gets `.txt` modules from scripts/lib/text-modules.ts;
// `crypto.subtle.timingSafeEqual` does not exist in Node, so no script may call verifyPassword.
declare module "*.txt" {
  const text: string;
  export default text;
}

declare module "crypto" {
  namespace webcrypto {
    interface SubtleCrypto {
      timingSafeEqual(a: ArrayBuffer | ArrayBufferView, b: ArrayBuffer | ArrayBufferView): boolean;
    }
  }
}

// The WebCrypto key types, global in the Workers runtime and in Node 22 (as `webcrypto`'s).
type CryptoKey = import("node:crypto").webcrypto.CryptoKey;
type CryptoKeyPair = import("node:crypto").webcrypto.CryptoKeyPair;
type BufferSource = ArrayBufferView | ArrayBuffer;
