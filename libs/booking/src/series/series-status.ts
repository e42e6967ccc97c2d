import { Appointment, AppointmentStatus, LIVE_APPOINTMENT_STATUSES } from '@app/database';

export enum SeriesStatus {
  /** Some occurrence is still live. */
  Active = 'active',
  /** Nothing live is left and at least one occurrence was completed or missed. */
  Completed = 'completed',
  /** Nothing live is left and none took place. */
  Cancelled = 'cancelled',
}

const LIVE: ReadonlySet<AppointmentStatus> = new Set(LIVE_APPOINTMENT_STATUSES);
const TOOK_PLACE: ReadonlySet<AppointmentStatus> = new Set([
  AppointmentStatus.Completed,
  AppointmentStatus.NoShow,
]);

/** Derived from the occurrences, so it can never disagree with them. */
export function seriesStatus(occurrences: Pick<Appointment, 'status'>[]): SeriesStatus {
  if (occurrences.some((o) => LIVE.has(o.status))) return SeriesStatus.Active;
  if (occurrences.some((o) => TOOK_PLACE.has(o.status))) return SeriesStatus.Completed;
  return SeriesStatus.Cancelled;
}
