// Profile pictures from Django's MEDIA_ROOT: checked by their first bytes as uploads are, then
// stored under a fresh random key (never Django's file name), as the Worker stores uploads.
import { newPictureKey, sniffImageType } from "../../../src/services/images";
import type { ImportReport } from "./import-report";

/** Where pictures come from and go: Django's files (by their path under MEDIA_ROOT), our bucket. */
export interface MediaDeps {
  read(path: string): Promise<Uint8Array | undefined>;
  store(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
}

/**
 * The key a Django picture is stored under, or null when there is none to store: no --media-root,
 * a missing file or one that is not an image are reported, never fatal.
 */
export async function importPicture(
  media: MediaDeps | undefined,
  path: string | null,
  dryRun: boolean,
  report: ImportReport,
): Promise<string | null> {
  if (!path || !media) return null;
  const bytes = await media.read(path);
  if (!bytes) {
    report.pictures.missing.push(path);
    return null;
  }
  const type = sniffImageType(bytes);
  if (!type) {
    report.pictures.refused.push(path);
    return null;
  }
  const key = newPictureKey(type);
  if (!dryRun) await media.store(key, bytes, type.mediaType);
  report.pictures.stored++;
  return key;
}
