export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** `byteCount` bytes from the CSPRNG, as lower-case hex. */
export function randomHex(byteCount: number): string {
  return toHex(crypto.getRandomValues(new Uint8Array(byteCount)));
}

/** A digest of a text (UTF-8), as lower-case hex. */
export async function digestHex(algorithm: "SHA-1" | "SHA-256", text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest(algorithm, new TextEncoder().encode(text))));
}

/** The SHA-256 of a text (UTF-8), as lower-case hex. */
export function sha256Hex(text: string): Promise<string> {
  return digestHex("SHA-256", text);
}
