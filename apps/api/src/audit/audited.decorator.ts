import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { AuditInterceptor } from './audit.interceptor';

export const AUDIT = 'app:audit';

export interface AuditSpec {
  action: string;
  resourceType: 'appointment' | 'payment';
}

/** Writes an audit row for every call: who did what to which resource, and whether it was allowed. */
export function Audited(action: string, resourceType: AuditSpec['resourceType']) {
  return applyDecorators(SetMetadata(AUDIT, { action, resourceType }), UseInterceptors(AuditInterceptor));
}
