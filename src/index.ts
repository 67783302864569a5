import { app } from "./app";

export { Limiter } from "./limiter-object";

export default app;
