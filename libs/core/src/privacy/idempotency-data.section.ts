import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { IdempotencyKey } from '@app/database';
import type { DataSubject, PersonalDataSection } from './personal-data';

/**
 * Stored replays of the subject's requests hold whole answers (names, intake answers): an
 * erasure drops them. They live 24 h and are of no use to anyone else, so nothing is exported.
 */
@Injectable()
export class IdempotencyDataSection implements PersonalDataSection {
  async erase(manager: EntityManager, subject: DataSubject): Promise<void> {
    await manager.delete(IdempotencyKey, { userId: subject.id });
  }
}
