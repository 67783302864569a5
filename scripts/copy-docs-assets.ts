/** Run by wrangler before `wrangler dev` and `wrangler deploy` (wrangler.toml [build]). */
import { copyDocsAssets } from "./lib/docs-assets";

copyDocsAssets();
