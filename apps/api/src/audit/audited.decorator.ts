import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { AuditInterceptor } from './audit.interceptor';

export const AUDIT = 'app:audit';

export interface AuditSpec {
  action: string;
  resourceType: 'appointment' | 'payment';
  /** Where the audited resource's id is: the `:id` path parameter, or the answer's `id` (creations). */
  idFrom: 'param' | 'response';
}

/** Writes an audit row for every call: who did what to which resource, and whether it was allowed. */
export function Audited(
  action: string,
  resourceType: AuditSpec['resourceType'],
  idFrom: AuditSpec['idFrom'] = 'param',
) {
  return applyDecorators(
    SetMetadata(AUDIT, { action, resourceType, idFrom }),
    UseInterceptors(AuditInterceptor),
  );
}
