import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Appointment, AppointmentSeries } from '@app/database';
import { SeriesNotFoundError } from './series.errors';
import { seriesVisibleTo } from './series-scope';

/** A series with its occurrences (the appointments with `series_id`), by start. */
export interface SeriesView {
  series: AppointmentSeries;
  appointments: Appointment[];
}

@Injectable()
export class SeriesQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The caller's series (patient, its doctor, admin); 404 otherwise. */
  async get(actor: AuthUser, id: string): Promise<SeriesView> {
    const series = await this.db
      .getRepository(AppointmentSeries)
      .findOne({ where: seriesVisibleTo(actor, id) });
    if (!series) throw new SeriesNotFoundError();
    return { series, appointments: await occurrencesOf(this.db.manager, series.id) };
  }

  /** Unscoped, for the worker (notifications); null when unknown. */
  async find(id: string): Promise<SeriesView | null> {
    const series = await this.db.getRepository(AppointmentSeries).findOne({ where: { id } });
    return series ? { series, appointments: await occurrencesOf(this.db.manager, id) } : null;
  }

  /** Re-read after a change the caller was allowed to make. */
  async reload(id: string): Promise<SeriesView> {
    const series = await this.db.getRepository(AppointmentSeries).findOneByOrFail({ id });
    return { series, appointments: await occurrencesOf(this.db.manager, id) };
  }
}

export function occurrencesOf(manager: EntityManager, seriesId: string): Promise<Appointment[]> {
  return manager.getRepository(Appointment).find({
    where: { seriesId },
    relations: { doctor: true, patient: true, visitType: true },
    order: { startsAt: 'ASC', createdAt: 'ASC' },
  });
}
