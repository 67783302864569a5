import type { Database } from "../db/client";
import type { User } from "../db/schema";
import { swapProfilePicture } from "../db/users";
import { Conflict, ValidationFailed } from "./domain-errors";
import { newPictureKey, sniffImageType } from "./images";

// DRF's ImageField messages.
const INVALID_IMAGE = "Upload a valid image. The file you uploaded was either not an image or a corrupted image.";
const EMPTY_FILE = "The submitted file is empty.";

export interface PictureDeps {
  db: Database;
  bucket: R2Bucket;
}

const conflict = () => new Conflict("The profile picture was changed by another request; try again.");

/**
 * Stores a new picture and then drops the old one. Keys are random and never reused, so a URL
 * once served always means the same bytes and can be cached for good.
 */
export async function replaceProfilePicture({ db, bucket }: PictureDeps, user: User, bytes: Uint8Array): Promise<User> {
  if (bytes.byteLength === 0) throw new ValidationFailed({ profile_picture: [EMPTY_FILE] });
  const type = sniffImageType(bytes);
  if (!type) throw new ValidationFailed({ profile_picture: [INVALID_IMAGE] });
  const key = newPictureKey(type);
  await bucket.put(key, bytes, {
    httpMetadata: { contentType: type.mediaType },
    customMetadata: { userId: `${user.id}` },
  });
  if (!(await swapProfilePicture(db, user.id, user.profilePicture, key))) {
    await bucket.delete(key);
    throw conflict();
  }
  if (user.profilePicture) await bucket.delete(user.profilePicture);
  return { ...user, profilePicture: key };
}

/** Removes a user's picture, row first so no one is pointed at a deleted object. */
export async function removeProfilePicture({ db, bucket }: PictureDeps, user: User): Promise<User> {
  if (user.profilePicture === null) return user;
  if (!(await swapProfilePicture(db, user.id, user.profilePicture, null))) throw conflict();
  await bucket.delete(user.profilePicture);
  return { ...user, profilePicture: null };
}
