/** The shared Result type (src/config/result.ts), under the control plane's short path. */
export { err, ok, type Result } from '../../src/config/result.ts';
