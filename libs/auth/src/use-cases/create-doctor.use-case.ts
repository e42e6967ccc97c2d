import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { NotFoundError } from '@app/common';
import { DoctorProfile, OneTimeTokenPurpose, Specialty, UserRole } from '@app/database';
import { EventType, recordEvents } from '@app/queues';
import { issueOneTimeToken, ONE_TIME_TOKEN_TTL_SECONDS } from '../accounts/one-time-tokens';
import { hashPassword } from '../accounts/password';
import { insertUser } from '../accounts/insert-user';
import { toUserView, UserView } from '../accounts/user-view';

export interface CreateDoctorInput {
  email: string;
  firstName: string;
  lastName: string;
  password?: string;
  specialtyIds?: string[];
  timezone?: string;
}

export interface CreatedDoctor extends UserView {
  specialties: { id: string; name: string }[];
  /** True when no password was given and a set-password link is being emailed. */
  invited: boolean;
}

/**
 * An admin creates a doctor account with its profile. Without a password the doctor is
 * invited by email to set one; with a password the admin vouches for the email.
 */
@Injectable()
export class CreateDoctor {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(input: CreateDoctorInput): Promise<CreatedDoctor> {
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    const timezone = input.timezone ?? 'UTC';
    return this.db.transaction(async (manager) => {
      const specialties = await this.findSpecialties(manager, [
        ...new Set(input.specialtyIds ?? []),
      ]);
      const user = await insertUser(manager, {
        email: input.email,
        passwordHash,
        role: UserRole.Doctor,
        firstName: input.firstName,
        lastName: input.lastName,
        timezone,
        emailVerifiedAt: passwordHash ? new Date() : null,
      });
      await manager.insert(DoctorProfile, { userId: user.id, timezone });
      if (specialties.length > 0) {
        await manager
          .createQueryBuilder()
          .relation(DoctorProfile, 'specialties')
          .of(user.id)
          .add(specialties.map((s) => s.id));
      }
      if (!passwordHash) {
        const token = await issueOneTimeToken(
          manager,
          user.id,
          OneTimeTokenPurpose.PasswordReset,
          ONE_TIME_TOKEN_TTL_SECONDS.doctorInvitation,
        );
        await recordEvents(manager, [
          { type: EventType.DoctorInvited, payload: { userId: user.id, token } },
        ]);
      }
      return {
        ...toUserView(user),
        specialties: specialties.map((s) => ({ id: s.id, name: s.name })),
        invited: !passwordHash,
      };
    });
  }

  private async findSpecialties(manager: EntityManager, ids: string[]): Promise<Specialty[]> {
    if (ids.length === 0) return [];
    const found = await manager.find(Specialty, { where: { id: In(ids) }, order: { name: 'ASC' } });
    const missing = ids.find((id) => !found.some((s) => s.id === id));
    if (missing) throw new NotFoundError(`Specialty ${missing}`);
    return found;
  }
}
