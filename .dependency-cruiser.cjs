/**
 * The walls of src/ (see shared/STYLE.md): no import cycles; services/ and db/ speak no HTTP and
 * know no wing; Worker code never reaches into the Node-only scripts or the tests.
 * `npm run lint` runs it.
 */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import cycle: modules that need each other are one module, or one of them is in the wrong place.",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "domain-speaks-no-http",
      severity: "error",
      comment: "services/ and db/ throw domain errors and never import hono or the HTTP error module.",
      from: { path: "^src/(services|db)/" },
      to: { path: ["^node_modules/hono/", "^src/errors\\.ts$"] },
    },
    {
      name: "domain-knows-no-wing",
      severity: "error",
      comment: "services/ and db/ are shared by every wing; none of them may depend on a wing.",
      from: { path: "^src/(services|db)/" },
      to: { path: ["^src/admin/", "^src/routes/", "^src/middleware/"] },
    },
    {
      name: "worker-code-stays-in-src",
      severity: "error",
      comment: "The Worker bundle must not pull in Node-only scripts or test code.",
      from: { path: "^src/" },
      to: { path: "^(scripts|test)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    // TypeScript 7 has no JS API for dependency-cruiser to parse with; swc reads the sources,
    // type-only imports included (so its "missing-tsc-transpiler" warning is moot here).
    parser: "swc",
    tsPreCompilationDeps: true,
    exclude: { path: "\\.txt$" },
  },
};
