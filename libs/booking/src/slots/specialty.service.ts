import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ValidationError } from '@app/common';
import { Specialty } from '@app/database';
import { postgresError, SpecialtyExistsError } from './scheduling.errors';

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

  /** Names are unique case-insensitively (citext); a duplicate is SPECIALTY_EXISTS. */
  async create(input: CreateSpecialtyInput): Promise<Specialty> {
    const name = input.name.trim();
    if (!name) throw ValidationError.field('name', 'name must not be blank');
    const repo = this.db.getRepository(Specialty);
    try {
      return await repo.save(repo.create({ name, description: input.description?.trim() || null }));
    } catch (error) {
      if (postgresError(error)?.code === '23505') throw new SpecialtyExistsError(name);
      throw error;
    }
  }
}
