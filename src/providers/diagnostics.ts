/**
 * Provider failures as diagnostics, for commands that report them the way every other codex-flow
 * error is reported: `codex-flow: error CF7011: …` and a hint, no stack trace.
 *
 * @example printDiagnostics(io, [providerErrorDiagnostic(error)]);
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { ProviderChainError, UnknownProviderError, type ProviderError } from './errors.js';

export function providerErrorDiagnostic(error: ProviderError): Diagnostic {
  const code =
    error instanceof UnknownProviderError
      ? 'CF7002'
      : error instanceof ProviderChainError
        ? 'CF7011'
        : error.kind === 'budget'
          ? 'CF7012'
          : 'CF7010';
  const message = error instanceof ProviderChainError || error instanceof UnknownProviderError ? error.message : error.summary();
  return diagnostic(code, message, undefined, { hint: error.hint });
}
