import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError, ValidationError } from '@app/common';
import { Specialty } from '@app/database';
import { SpecialtyExistsError } from '../scheduling.errors';

export interface CreateSpecialtyInput {
  name: string;
  description?: string | null;
}

/** The catalogue of medical specialties doctors list themselves under. */
@Injectable()
export class SpecialtyService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  list(): Promise<Specialty[]> {
    return this.db.getRepository(Specialty).find({ order: { name: 'ASC' } });
  }

  async get(id: string): Promise<Specialty> {
    const specialty = await this.db.getRepository(Specialty).findOneBy({ id });
    if (!specialty) throw new NotFoundError('Specialty');
    return specialty;
  }

  /** Names are unique case-insensitively (citext); a duplicate is SPECIALTY_EXISTS. */
  async create(input: CreateSpecialtyInput): Promise<Specialty> {
    const name = input.name.trim();
    if (!name) throw ValidationError.field('name', 'name must not be blank');
    const repo = this.db.getRepository(Specialty);
    // ON CONFLICT DO NOTHING: a duplicate is an answer, not a failed statement.
    const result = await repo
      .createQueryBuilder()
      .insert()
      .values({ name, description: input.description?.trim() || null })
      .orIgnore()
      .execute();
    const id = (result.raw as { id?: string }[])[0]?.id;
    if (!id) throw new SpecialtyExistsError(name);
    return repo.findOneByOrFail({ id });
  }
}
