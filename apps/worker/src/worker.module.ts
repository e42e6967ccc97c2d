import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig } from '@app/config';
import { CoreModule } from '@app/core';
import { BookingModule } from '@app/booking';
import { NotificationDeliveryModule } from '@app/notifications';
import { BookingPaymentsModule, PaymentsModule } from '@app/payments';
import { EventSubscribers, JOB_HANDLERS, JobHandlerRegistry, OutboxRelay } from '@app/queues';
import { WebhookDeliveryModule } from '@app/webhooks';
import { JOB_HANDLER_CLASSES } from './jobs';
import { PROCESSORS } from './processors';
import { WorkerDrain } from './worker-drain.service';
import { WorkerHealthService } from './worker-health.service';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot(config, 'worker'),
        DiscoveryModule,
        NotificationDeliveryModule,
        BookingModule,
        PaymentsModule,
        BookingPaymentsModule,
        WebhookDeliveryModule,
      ],
      providers: [
        ...JOB_HANDLER_CLASSES,
        {
          provide: JOB_HANDLERS,
          useFactory: (...handlers: unknown[]) => handlers,
          inject: JOB_HANDLER_CLASSES,
        },
        JobHandlerRegistry,
        EventSubscribers,
        OutboxRelay,
        WorkerHealthService,
        WorkerDrain,
        ...PROCESSORS,
      ],
    };
  }
}
