import type { Reporter, TestModule } from "vitest/node";

/** Prints, after the run, how many responses the Worker tests checked against /openapi.json. */
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
      `OpenAPI: ${validated} responses checked against the document; ${skipped} from routes it does not describe (yet) skipped`,
    );
  }
}
