import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import type { AuditAction, AuditResource } from '@app/core';
import { AuditInterceptor } from './audit.interceptor';

export const AUDIT = 'app:audit';

export interface AuditSpec {
  action: AuditAction;
  resourceType: AuditResource;
  /** Where the audited resource's id is: the `:id` path parameter, or the answer's `id` (creations). */
  idFrom: 'param' | 'response';
  /**
   * A change: its use case writes the allowed row in the change's transaction (from the
   * handler's `@AuditContext()`); the interceptor writes only its refusals.
   */
  change: boolean;
}

/**
 * A read: the interceptor writes an audit row for every call, who read what and whether it
 * was allowed, denied or failed.
 */
export function Audited(
  action: AuditAction,
  resourceType: AuditResource,
  idFrom: AuditSpec['idFrom'] = 'param',
) {
  return audited({ action, resourceType, idFrom, change: false });
}

/**
 * A change: the handler passes its `@AuditContext()` to the use case, which records the
 * allowed row in its transaction; the interceptor writes the denied and failed ones.
 */
export function AuditedChange(
  action: AuditAction,
  resourceType: AuditResource,
  idFrom: AuditSpec['idFrom'] = 'param',
) {
  return audited({ action, resourceType, idFrom, change: true });
}

function audited(spec: AuditSpec) {
  return applyDecorators(SetMetadata(AUDIT, spec), UseInterceptors(AuditInterceptor));
}
