import { describe, expect, it } from "vitest";
import { sniffImageType } from "../../src/services/images";
import { HTML_AS_PNG, IMAGES } from "../fixtures/images";

describe("sniffImageType", () => {
  it.each(Object.entries(IMAGES))("knows a real %s by its first bytes", (extension, image) => {
    expect(sniffImageType(image.bytes)).toEqual({ mediaType: image.mediaType, extension });
  });

  it("knows both GIF versions", () => {
    expect(sniffImageType(new TextEncoder().encode("GIF87a......"))?.mediaType).toBe("image/gif");
  });

  it.each([
    ["HTML named .png", HTML_AS_PNG],
    ["empty", new Uint8Array()],
    ["a PNG signature cut short", IMAGES.png.bytes.slice(0, 7)],
    ["a RIFF file that is not WebP (WAV)", new TextEncoder().encode("RIFF\x24\x00\x00\x00WAVEfmt ")],
    ["SVG", new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ["a PDF", new TextEncoder().encode("%PDF-1.7")],
  ])("refuses %s", (_name, bytes) => {
    expect(sniffImageType(bytes)).toBeUndefined();
  });
});
