import { app } from "./app";
import { scheduled } from "./scheduled";

export { Limiter } from "./limiter-object";

export default { fetch: app.fetch, scheduled } satisfies ExportedHandler<Env>;
