import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, SelectQueryBuilder } from 'typeorm';
import { isUuid, pageOffset, paginate, Paginated } from '@app/common';
import { DoctorProfile, User, UserRole } from '@app/database';
import { DoctorNotFoundError } from '../scheduling.errors';
import { SlotService } from '../slots/slot.service';
import { PublicDoctor, toPublicDoctor } from './doctor-view';

export interface DoctorSearch {
  /** Specialty id. */
  specialty?: string;
  /** Words that must each appear in the first or last name. */
  q?: string;
  page: number;
  limit: number;
}

type ProfileWithUser = DoctorProfile & { user: User };

/** Public doctor profiles: search and detail, with their next free slot. */
@Injectable()
export class DoctorDirectoryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly slots: SlotService,
  ) {}

  /** Listed doctors, by last then first name; a fixed number of queries per page. */
  async search(search: DoctorSearch): Promise<Paginated<PublicDoctor>> {
    if (search.specialty && !isUuid(search.specialty)) return paginate([], 0, search);
    const qb = this.profiles(true);
    if (search.specialty) {
      qb.andWhere(
        'EXISTS (SELECT 1 FROM doctor_specialties ds WHERE ds.doctor_id = p.userId AND ds.specialty_id = :specialty)',
        { specialty: search.specialty },
      );
    }
    const terms = (search.q ?? '').split(/\s+/).filter(Boolean).slice(0, 5);
    terms.forEach((term, i) => {
      qb.andWhere(`(u.firstName ILIKE :term${i} OR u.lastName ILIKE :term${i})`, {
        [`term${i}`]: `%${term.replace(/[\\%_]/g, '\\$&')}%`,
      });
    });
    const { skip, take } = pageOffset(search);
    const [profiles, total] = await qb
      .orderBy('u.lastName', 'ASC')
      .addOrderBy('u.firstName', 'ASC')
      .addOrderBy('p.userId', 'ASC')
      .offset(skip)
      .limit(take)
      .getManyAndCount();
    return paginate(await this.present(profiles as ProfileWithUser[]), total, search);
  }

  /** A listed doctor: active, with an account in use. */
  async get(doctorId: string): Promise<PublicDoctor> {
    return this.one(doctorId, true);
  }

  /** The doctor's own profile, listed or not. */
  async own(doctorId: string): Promise<PublicDoctor> {
    return this.one(doctorId, false);
  }

  private async one(doctorId: string, listedOnly: boolean): Promise<PublicDoctor> {
    const profile = isUuid(doctorId)
      ? await this.profiles(listedOnly).andWhere('p.userId = :doctorId', { doctorId }).getOne()
      : null;
    if (!profile) throw new DoctorNotFoundError();
    const [doctor] = await this.present([profile as ProfileWithUser]);
    return doctor;
  }

  private profiles(listedOnly: boolean): SelectQueryBuilder<DoctorProfile> {
    const qb = this.db
      .getRepository(DoctorProfile)
      .createQueryBuilder('p')
      .innerJoinAndSelect('p.user', 'u')
      .where('u.role = :role', { role: UserRole.Doctor });
    return listedOnly ? qb.andWhere('p.active = true').andWhere('u.deactivatedAt IS NULL') : qb;
  }

  /** Specialties and visit types in a query each, next free slots in three, for the page. */
  private async present(profiles: ProfileWithUser[]): Promise<PublicDoctor[]> {
    if (profiles.length === 0) return [];
    const ids = profiles.map((profile) => profile.userId);
    const [withSpecialties, visitTypes] = await Promise.all([
      this.db.getRepository(DoctorProfile).find({
        select: { userId: true, specialties: { id: true, name: true } },
        relations: { specialties: true },
        where: { userId: In(ids) },
      }),
      this.slots.activeVisitTypes(ids),
    ]);
    const nextAvailable = await this.slots.nextAvailableAt(profiles, visitTypes);
    const specialtiesOf = new Map(
      withSpecialties.map((profile) => [profile.userId, profile.specialties ?? []]),
    );
    return profiles.map((profile) =>
      toPublicDoctor(
        profile,
        specialtiesOf.get(profile.userId) ?? [],
        visitTypes.get(profile.userId) ?? [],
        nextAvailable.get(profile.userId) ?? null,
      ),
    );
  }
}
