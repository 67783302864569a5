// A picture's type is read from its first bytes, never from what the client claims: a renamed
// HTML or SVG file must not be stored, and later served, as an image.

import { randomHex } from "./hex";

/** Where pictures live in the bucket; the Worker serves the same path under `/media/`. */
const PICTURE_PREFIX = "profile_pictures/";
export const PICTURE_KEY = /^profile_pictures\/[0-9a-f]{40}\.(png|jpg|webp|gif)$/;

export interface ImageType {
  mediaType: "image/png" | "image/jpeg" | "image/webp" | "image/gif";
  extension: "png" | "jpg" | "webp" | "gif";
}

const ascii = (text: string) => Array.from(text, (char) => char.charCodeAt(0));

// Each format's signature: bytes that must appear at an offset.
const SIGNATURES: readonly { type: ImageType; parts: readonly (readonly [number, readonly number[]])[] }[] = [
  {
    type: { mediaType: "image/png", extension: "png" },
    parts: [[0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]]],
  },
  { type: { mediaType: "image/jpeg", extension: "jpg" }, parts: [[0, [0xff, 0xd8, 0xff]]] },
  { type: { mediaType: "image/gif", extension: "gif" }, parts: [[0, ascii("GIF87a")]] },
  { type: { mediaType: "image/gif", extension: "gif" }, parts: [[0, ascii("GIF89a")]] },
  {
    type: { mediaType: "image/webp", extension: "webp" },
    parts: [
      [0, ascii("RIFF")],
      [8, ascii("WEBP")],
    ],
  },
];

/** The image type these bytes are, if they are one of the four accepted formats. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  const matches = (offset: number, expected: readonly number[]) =>
    expected.every((byte, index) => bytes[offset + index] === byte);
  return SIGNATURES.find(({ parts }) => parts.every(([offset, expected]) => matches(offset, expected)))?.type;
}

/**
 * A fresh key for a picture of this type: 160 random bits, unguessable, so a picture's URL is known
 * only to those it was shown to, and never reused, so a URL once served always means the same bytes.
 */
export function newPictureKey(type: ImageType): string {
  return `${PICTURE_PREFIX}${randomHex(20)}.${type.extension}`;
}
