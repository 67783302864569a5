// Types `exports.default` from `cloudflare:workers` in tests as the Worker's own entry.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("../../src/index");
  }
}
