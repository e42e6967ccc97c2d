import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export enum WebhookDeliveryStatus {
  Pending = 'pending',
  Succeeded = 'succeeded',
  Failed = 'failed',
}

/** One event for one endpoint: the durable record of its delivery, retries and outcome. */
@Entity('webhook_deliveries')
@Unique('webhook_deliveries_endpoint_event_key', ['endpointId', 'eventId'])
@Index('webhook_deliveries_endpoint_created_idx', ['endpointId', 'createdAt'])
@Index('webhook_deliveries_created_idx', ['createdAt'])
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  endpointId: string;

  @ManyToOne(() => WebhookEndpoint, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id' })
  endpoint?: WebhookEndpoint;

  /** The `webhook-id` header: the same on every attempt. */
  @Column({ type: 'uuid' })
  eventId: string;

  @Column({ type: 'text' })
  type: string;

  /** The body `{ type, timestamp, data }`, fixed when the event fanned out. */
  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({
    type: 'enum',
    enum: WebhookDeliveryStatus,
    enumName: 'webhook_delivery_status',
    default: WebhookDeliveryStatus.Pending,
  })
  status: WebhookDeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  /** Which scheduled attempt is current: a job of an older round does nothing. */
  @Column({ type: 'int', default: 0 })
  round: number;

  @Column({ type: 'int', nullable: true })
  lastStatusCode: number | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  succeededAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
