import type { Reporter, TestModule } from "vitest/node";

/** Prints, after the run, how many responses of the Worker tests fetchWorker checked against the document. */
export default class OpenApiReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let validated = 0;
    let skipped = 0;
    for (const module of testModules) {
      const counts = module.meta().openApi;
      validated += counts?.validated ?? 0;
      skipped += counts?.skipped ?? 0;
    }
    if (validated + skipped === 0) return;
    console.log(
      `OpenAPI: ${validated} JSON responses matched the document's schema for their route and status; ${skipped} responses to requests no documented operation answers (the admin site, unknown paths, methods a path lacks) not checked`,
    );
  }
}
