import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig } from '@app/config';
import { CoreModule } from '@app/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxEvent } from '@app/database';
import { NotificationDeliveryModule } from '@app/notifications';
import { EventSubscribers, JobHandlerRegistry, OutboxRelay } from '@app/queues';
import { BookingModule, BookingSchedulerSubscriber } from '@app/booking';
import { PaymentsModule, PaymentsSubscriber } from '@app/payments';
import { BookingHandlers } from './booking/booking.handlers';
import { EventDispatchHandler } from './events/event-dispatch.handler';
import { PurgeHandler } from './maintenance/purge.handler';
import { PaymentsHandlers } from './payments/payments.handlers';
import { NotificationEmailHandler } from './notifications/notification-email.handler';
import { PROCESSORS } from './processors';
import { SystemHandlers } from './system/system.handlers';
import { WorkerHealthService } from './worker-health.service';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot(config, 'worker'),
        DiscoveryModule,
        TypeOrmModule.forFeature([OutboxEvent]),
        NotificationDeliveryModule,
        BookingModule,
        PaymentsModule,
      ],
      providers: [
        JobHandlerRegistry,
        EventSubscribers,
        OutboxRelay,
        WorkerHealthService,
        SystemHandlers,
        EventDispatchHandler,
        NotificationEmailHandler,
        PurgeHandler,
        BookingHandlers,
        BookingSchedulerSubscriber,
        PaymentsHandlers,
        PaymentsSubscriber,
        ...PROCESSORS,
      ],
    };
  }
}
