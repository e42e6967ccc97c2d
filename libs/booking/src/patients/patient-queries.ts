import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { isUuid, NotFoundError } from '@app/common';
import { User, UserRole } from '@app/database';

export class PatientNotFoundError extends NotFoundError {
  constructor() {
    super('Patient');
  }
}

/**
 * A patient's record as the caller may see it: their own, one of their doctor's patients
 * (any appointment with them), or any for an admin. Checked in the query itself.
 */
@Injectable()
export class PatientQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async get(actor: AuthUser, patientId: string): Promise<User> {
    if (!isUuid(patientId)) throw new PatientNotFoundError();
    const qb = this.db
      .getRepository(User)
      .createQueryBuilder('u')
      .where('u.id = :patientId AND u.role = :role', { patientId, role: UserRole.Patient });
    if (actor.role === UserRole.Patient) qb.andWhere('u.id = :actorId', { actorId: actor.id });
    else if (actor.role === UserRole.Doctor)
      qb.andWhere(
        'EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = u.id AND a.doctor_id = :actorId)',
        { actorId: actor.id },
      );
    else if (actor.role !== UserRole.Admin) throw new PatientNotFoundError();
    const patient = await qb.getOne();
    if (!patient) throw new PatientNotFoundError();
    return patient;
  }
}
