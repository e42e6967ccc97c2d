import type { EntityManager } from 'typeorm';
import type { UserRole } from '@app/database';

/** Whose data a section exports or erases, with the values an erasure replaces. */
export interface DataSubject {
  id: string;
  role: UserRole;
  email: string;
  firstName: string;
  lastName: string;
  phone: string | null;
}

export interface SectionExport {
  /** The section's part of the export. */
  data: unknown;
  /** Ids of records about the subject (appointments, payments): their audit rows are exported. */
  recordIds?: string[];
}

/**
 * One table family's share of a person's data, written by the lib that owns those tables:
 * what `GET /me/export` shows of it and what an erasure replaces. Adding a table that holds
 * personal data means adding a section (and listing it in the privacy module).
 */
export interface PersonalDataSection {
  /** The export's key for this section; undefined for tables that are erased, not exported. */
  readonly name?: string;
  export?(manager: EntityManager, subject: DataSubject): Promise<SectionExport>;
  /** Replaces or removes the subject's personal data in place, in the erasure's transaction. */
  erase?(manager: EntityManager, subject: DataSubject): Promise<void>;
}

/** What an erasure writes instead of a person's name. */
export const ERASED_NAME = { firstName: 'Deleted', lastName: 'account' } as const;
/** What an erasure writes instead of an intake answer or a free-text reason. */
export const ERASED_VALUE = '[erased]';
