import { Module } from '@nestjs/common';
import { AuditTrailModule } from '@app/core';
import { AppointmentQueries } from './appointments/appointment-queries';
import { BookAppointment } from './appointments/book-appointment.use-case';
import { CancelAppointment } from './appointments/cancel-appointment.use-case';
import { DecideApproval } from './appointments/decide-approval.use-case';
import { ExpireHold } from './appointments/expire-hold.use-case';
import { FinishAppointment } from './appointments/finish-appointment.use-case';
import { RescheduleAppointment } from './appointments/reschedule-appointment.use-case';
import { PatientQueries } from './patients/patient-queries';
import { BusyCalendarsService } from './calendars/busy-calendars.service';
import { CalendarFeedService } from './calendars/calendar-feed.service';
import { FetchBusyCalendar } from './calendars/fetch-busy-calendar.use-case';
import { BookSeries } from './series/book-series.use-case';
import { CancelSeries } from './series/cancel-series.use-case';
import { DecideSeriesApproval } from './series/decide-series-approval.use-case';
import { SeriesQueries } from './series/series-queries';
import { SlotsModule } from './slots/slots.module';
import { WaitlistService } from './waitlist/waitlist.service';

const USE_CASES = [
  AppointmentQueries,
  BookAppointment,
  BusyCalendarsService,
  CalendarFeedService,
  BookSeries,
  CancelAppointment,
  CancelSeries,
  DecideApproval,
  DecideSeriesApproval,
  ExpireHold,
  FetchBusyCalendar,
  FinishAppointment,
  PatientQueries,
  RescheduleAppointment,
  SeriesQueries,
  WaitlistService,
];

/** Booking use cases, shared by the api (requests) and the worker (expiry, reminders). */
@Module({
  imports: [SlotsModule, AuditTrailModule],
  providers: USE_CASES,
  exports: [SlotsModule, ...USE_CASES],
})
export class BookingModule {}
