/** The `/auth/` document's success envelope; `data` and `message` are left out when absent. */
export function envelope<T>(data?: T, message?: string) {
  return { success: true as const, ...(data !== undefined ? { data } : {}), ...(message ? { message } : {}) };
}
