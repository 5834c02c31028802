/** Entry point of the control plane worker (control-plane/wrangler.toml). */
import { createApp } from './app.ts';

export default createApp();
