import type {
  CapabilityStatement,
  CapabilityStatementRestResource,
  CapabilityStatementRestResourceSearchParam,
} from '@medplum/fhirtypes';

const SEARCH_PARAMETER = 'http://hl7.org/fhir/SearchParameter';

type Param = CapabilityStatementRestResourceSearchParam;
const param = (
  name: string,
  type: Param['type'],
  definition: string | null,
  documentation: string,
): Param => ({
  name,
  type,
  ...(definition ? { definition: `${SEARCH_PARAMETER}/${definition}` } : {}),
  documentation,
});
const PAGING: Param[] = [
  param('_count', 'number', null, 'Entries per page (1–100; Slot: 1–10000)'),
  param('_page', 'number', null, 'Page from 1; follow the Bundle’s next link'),
];

/** Exactly what the facade serves (SPEC §6); anything else answers 404 or 405. */
const RESOURCES: CapabilityStatementRestResource[] = [
  {
    type: 'Practitioner',
    documentation: 'A listed doctor; id = the doctor’s id in /api/v1. Public.',
    interaction: [{ code: 'read' }, { code: 'search-type' }],
    searchParam: [
      param('name', 'string', 'Practitioner-name', 'Each word in the given or family name'),
      ...PAGING,
    ],
  },
  {
    type: 'Schedule',
    documentation: 'One per active visit type of a doctor; id = the visit type’s id. Public.',
    interaction: [{ code: 'search-type' }],
    searchParam: [
      param('actor', 'reference', 'Schedule-actor', 'Practitioner/<id> (required)'),
      ...PAGING,
    ],
  },
  {
    type: 'Slot',
    documentation:
      'Free slots of a Schedule, computed like GET /api/v1/doctors/{id}/slots; id = <visitTypeId>.<epochSeconds>. Public.',
    interaction: [{ code: 'search-type' }],
    searchParam: [
      param('schedule', 'reference', 'Slot-schedule', 'Schedule/<id> (required)'),
      param(
        'start',
        'date',
        'Slot-start',
        'Twice, a lower (ge, gt) and an upper (lt, le) instant, at most 31 days apart (required)',
      ),
      ...PAGING,
    ],
  },
  {
    type: 'Appointment',
    documentation:
      'The caller’s appointments (a patient’s, a doctor’s; all for an admin). Create books a Slot as the calling patient.',
    interaction: [{ code: 'read' }, { code: 'search-type' }, { code: 'create' }],
    searchParam: [
      param('patient', 'reference', 'Appointment-patient', 'Patient/<id>'),
      param('date', 'date', 'clinical-date', 'Bounds of the start (ge, gt, lt, le)'),
      ...PAGING,
    ],
  },
  {
    type: 'Patient',
    documentation: 'To the patient themself, their doctors and admins.',
    interaction: [{ code: 'read' }],
  },
];

/** The CapabilityStatement of this server at `fhirBase` (its absolute URL). */
export function capabilityStatement(fhirBase: string, version: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-12-01',
    publisher: 'Doctor Appointment API',
    kind: 'instance',
    software: { name: 'Doctor Appointment API', version },
    implementation: { description: 'FHIR R4 facade of the Doctor Appointment API', url: fhirBase },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation: 'Read and book; see docs/fhir.md for every field mapped.',
        security: {
          cors: true,
          description:
            'Authorization: Bearer <accessToken> from POST /api/v1/auth/login, as for /api/v1. Public where /api/v1 is public.',
        },
        resource: RESOURCES,
      },
    ],
  };
}
