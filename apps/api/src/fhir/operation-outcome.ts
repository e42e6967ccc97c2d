import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { ProblemDetails } from '@app/common';
import { ERROR_CODE_SYSTEM } from './fhir-mapping';

type IssueCode = OperationOutcomeIssue['code'];

/** The FHIR issue type of an HTTP status (SPEC §6: conflict, not-found, invalid, security). */
function issueCode(status: number): IssueCode {
  if (status === 400 || status === 422) return 'invalid';
  if (status === 401 || status === 403) return 'security';
  if (status === 404) return 'not-found';
  if (status === 405 || status === 415) return 'not-supported';
  if (status === 409) return 'conflict';
  if (status === 413) return 'too-costly';
  if (status === 429) return 'throttled';
  if (status === 503) return 'transient';
  return status >= 500 ? 'exception' : 'processing';
}

/**
 * The problem+json every layer of the api writes, as FHIR writes it: one issue for the
 * problem (its stable `code` in `details.coding`) and one per field error, at the field.
 */
export function problemToOutcome(problem: ProblemDetails): OperationOutcome {
  const code = issueCode(problem.status);
  const details = {
    coding: [{ system: ERROR_CODE_SYSTEM, code: problem.code, display: problem.title }],
    text: problem.title,
  };
  const fieldIssues: OperationOutcomeIssue[] = (problem.errors ?? []).map((error) => ({
    severity: 'error',
    code,
    diagnostics: error.message,
    expression: [error.field],
  }));
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: problem.status >= 500 ? 'fatal' : 'error',
        code,
        details,
        diagnostics: problem.detail,
      },
      ...fieldIssues,
    ],
  };
}
