/** The compiler's public API; the control plane and the CLI import only this module. */
export { type CompileInput, type CompileResult, compile } from './compile.ts';
export { type CompileError, formatCompileError, formatCompileWarning } from './errors.ts';
