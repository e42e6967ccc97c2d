import { DynamicModule, Module } from '@nestjs/common';
import { AuthCoreModule } from '@app/auth';
import { AppConfig } from '@app/config';
import { BookingPaymentsModule } from '@app/payments';
import { CoreModule } from '@app/core';
import { AdminAccountsModule } from './admin/admin-accounts.module';
import { AppointmentSeriesModule } from './appointment-series/appointment-series.module';
import { AppointmentsModule } from './appointments/appointments.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CalendarsModule } from './calendars/calendars.module';
import { DoctorsModule } from './doctors/doctors.module';
import { FhirModule } from './fhir/fhir.module';
import { HealthModule } from './health/health.module';
import { MeModule } from './me/me.module';
import { MetricsModule } from './metrics/metrics.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PaymentsApiModule } from './payments/payments.module';
import { QueuesBoardModule } from './queues-board/queues-board.module';
import { SpecialtiesModule } from './specialties/specialties.module';
import { WebhooksApiModule } from './webhooks/webhooks-api.module';

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        CoreModule.forRoot(config, 'api'),
        AuthCoreModule,
        HealthModule,
        MetricsModule,
        AuthModule,
        MeModule,
        AdminAccountsModule,
        AuditModule,
        AppointmentsModule,
        AppointmentSeriesModule,
        SpecialtiesModule,
        DoctorsModule,
        CalendarsModule,
        PaymentsApiModule,
        BookingPaymentsModule,
        NotificationsModule,
        QueuesBoardModule,
        WebhooksApiModule,
        FhirModule,
      ],
    };
  }
}
