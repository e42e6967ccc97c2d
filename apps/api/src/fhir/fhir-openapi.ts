import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiResponse } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import { FHIR_BASE, FHIR_CONTENT_TYPE } from './fhir-http';

type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const spec = (page: string) => ({ url: `https://hl7.org/fhir/R4/${page}.html` });

/** A resource of FHIR R4: documented by reference to the specification, not copied. */
function resourceSchema(type: string, description: string): Json {
  return {
    type: 'object',
    description: `${description} Every field is mapped in docs/fhir.md.`,
    externalDocs: spec(type.toLowerCase()),
    required: ['resourceType'],
    properties: {
      resourceType: { type: 'string', enum: [type] },
      id: { type: 'string' },
    },
    additionalProperties: true,
  };
}

const SCHEMAS: Record<string, Json> = {
  FhirCapabilityStatement: resourceSchema('CapabilityStatement', 'What this server serves.'),
  FhirPractitioner: resourceSchema('Practitioner', 'A listed doctor; id = the doctor’s id.'),
  FhirSchedule: resourceSchema('Schedule', 'An active visit type of a doctor; id = its id.'),
  FhirSlot: resourceSchema('Slot', 'A free slot; id = `<visitTypeId>.<epochSeconds>`.'),
  FhirAppointment: resourceSchema('Appointment', 'An appointment, with its reason and answers.'),
  FhirPatient: resourceSchema('Patient', 'A patient.'),
  FhirBundle: {
    type: 'object',
    description:
      'A searchset Bundle: `total`, `link` (self, first, previous, next, last), `entry`.',
    externalDocs: spec('bundle'),
    required: ['resourceType', 'type', 'total'],
    properties: {
      resourceType: { type: 'string', enum: ['Bundle'] },
      type: { type: 'string', enum: ['searchset'] },
      total: { type: 'integer', format: 'int32', minimum: 0 },
      link: {
        type: 'array',
        items: {
          type: 'object',
          properties: { relation: { type: 'string' }, url: { type: 'string' } },
        },
      },
      entry: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            fullUrl: { type: 'string' },
            resource: { type: 'object', additionalProperties: true },
            search: { type: 'object', properties: { mode: { type: 'string' } } },
          },
        },
      },
    },
  },
  FhirOperationOutcome: {
    type: 'object',
    description:
      'Every error of /fhir/R4, with the HTTP status of the REST equivalent. The first issue’s `details.coding[0].code` is the stable error code of problem+json (`SLOT_TAKEN`, …).',
    externalDocs: spec('operationoutcome'),
    required: ['resourceType', 'issue'],
    properties: {
      resourceType: { type: 'string', enum: ['OperationOutcome'] },
      issue: {
        type: 'array',
        items: {
          type: 'object',
          required: ['severity', 'code'],
          properties: {
            severity: { type: 'string', enum: ['fatal', 'error'] },
            code: {
              type: 'string',
              example: 'conflict',
              description:
                'invalid (400, 422), security (401, 403), not-found, conflict (409), throttled (429), …',
            },
            details: {
              type: 'object',
              properties: {
                coding: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      system: { type: 'string' },
                      code: ref('ErrorCode'),
                      display: { type: 'string' },
                    },
                  },
                },
                text: { type: 'string' },
              },
            },
            diagnostics: { type: 'string' },
            expression: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
  },
};

const fhirContent = (schema: Json) => ({ [FHIR_CONTENT_TYPE]: { schema } });

/** A 200 (or 201) whose body is the FHIR resource `schema` names. */
export function ApiFhirResponse(schema: keyof typeof SCHEMAS, description: string, status = 200) {
  const created = {
    Location: { description: 'The new resource’s absolute URL', schema: { type: 'string' } },
    ETag: { description: 'W/"<versionId>"', schema: { type: 'string' } },
  };
  return ApiResponse({
    status,
    description,
    content: fhirContent(ref(schema)),
    ...(status === 201 ? { headers: created } : {}),
  });
}

/** A 200 searchset Bundle whose entries are `resource`s. */
export function ApiFhirSearchResponse(resource: keyof typeof SCHEMAS) {
  const name = resource.replace(/^Fhir/, '');
  return ApiResponse({
    status: 200,
    description: `A searchset Bundle of ${name}`,
    content: fhirContent({
      allOf: [
        ref('FhirBundle'),
        {
          type: 'object',
          properties: {
            entry: {
              type: 'array',
              items: { type: 'object', properties: { resource: ref(resource) } },
            },
          },
        },
      ],
    }),
  });
}

const MAX_ID = 64;

/**
 * What POST /fhir/R4/Appointment reads of an Appointment. Other elements of an R4
 * Appointment are accepted and ignored; a property that is none is 400.
 */
const BOOKING_SCHEMA: Json = {
  type: 'object',
  externalDocs: spec('appointment'),
  required: ['resourceType', 'status', 'slot', 'participant'],
  properties: {
    resourceType: { type: 'string', enum: ['Appointment'] },
    id: {
      type: 'string',
      maxLength: MAX_ID,
      pattern: '^[A-Za-z0-9\\-.]{1,64}$',
      description: 'Ignored: the server assigns the id (FHIR create)',
    },
    status: { type: 'string', enum: ['proposed', 'pending', 'booked'] },
    slot: {
      type: 'array',
      minItems: 1,
      maxItems: 1,
      items: {
        type: 'object',
        required: ['reference'],
        properties: { reference: { type: 'string', maxLength: 5 + MAX_ID } },
        additionalProperties: true,
      },
    },
    participant: {
      type: 'array',
      minItems: 1,
      maxItems: 10,
      description: 'Exactly one Patient actor, the caller; a Practitioner may be named too.',
      items: {
        type: 'object',
        properties: {
          actor: {
            type: 'object',
            properties: { reference: { type: 'string', maxLength: 13 + MAX_ID } },
            additionalProperties: true,
          },
          status: { type: 'string', enum: ['accepted', 'declined', 'tentative', 'needs-action'] },
        },
        additionalProperties: true,
      },
    },
    start: { type: 'string', format: 'date-time', description: 'When given, the Slot’s start' },
    reasonCode: {
      type: 'array',
      maxItems: 1,
      description: 'The reason for the visit, in `text` (health data)',
      items: {
        type: 'object',
        properties: { text: { type: 'string', maxLength: 1000 } },
        additionalProperties: true,
      },
    },
    extension: {
      type: 'array',
      maxItems: 20,
      description: 'Intake answers: see docs/fhir.md',
      items: {
        type: 'object',
        properties: {
          url: { type: 'string', maxLength: 200 },
          extension: {
            type: 'array',
            maxItems: 22,
            items: {
              type: 'object',
              properties: {
                url: { type: 'string', enum: ['key', 'label', 'value'] },
                valueCode: { type: 'string', maxLength: 40 },
                valueString: { type: 'string', maxLength: 4000 },
                valueBoolean: { type: 'boolean' },
              },
            },
          },
        },
        additionalProperties: true,
      },
    },
  },
  additionalProperties: true,
};

export function ApiFhirBookingBody() {
  return applyDecorators(
    ApiConsumes(FHIR_CONTENT_TYPE, 'application/json'),
    ApiBody({
      required: true,
      description: 'An Appointment naming one Slot and the calling patient',
      schema: BOOKING_SCHEMA,
    }),
  );
}

/**
 * The FHIR routes' side of the contract: their errors are OperationOutcome resources in
 * `application/fhir+json` (replacing the problem+json the rest of the API documents), and
 * the resource schemas they refer to. Runs after tightenContract.
 */
export function fhirContract(document: OpenAPIObject): OpenAPIObject {
  const paths = Object.entries(document.paths).filter(([path]) => path.startsWith(FHIR_BASE));
  if (paths.length === 0) return document;
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...SCHEMAS },
  };
  for (const [, item] of paths) {
    for (const method of METHODS) {
      const operation = (item as Json)[method] as { responses?: Record<string, Json> } | undefined;
      for (const [status, response] of Object.entries(operation?.responses ?? {})) {
        if (/^[45]/.test(status)) response.content = fhirContent(ref('FhirOperationOutcome'));
      }
    }
  }
  return document;
}
