import * as z from "zod";

// Field rules shared by both APIs' schemas, sized to the columns they are stored in.
export const email = z.string().trim().min(1).max(254).pipe(z.email());
// Passwords are taken as typed: trimming would silently change them.
export const password = z.string().min(1).max(128);
export const role = z.string().trim().min(1).max(32);
export const fullName = z.string().trim().min(1).max(255);
// Django's first_name/last_name are `blank=True`: an empty name is allowed.
export const namePart = z.string().trim().max(150);
export const bio = z.string().trim().max(2000);
