import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { User } from './user.entity';

/**
 * Where a doctor's or admin's system wants events posted. The signing secret is stored
 * encrypted, not hashed: signing needs the secret itself.
 */
@Entity('webhook_endpoints')
export class WebhookEndpoint {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('webhook_endpoints_owner_idx')
  @Column({ type: 'uuid' })
  ownerId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id' })
  owner?: User;

  @Column({ type: 'text' })
  url: string;

  /** Webhook event types this endpoint receives. */
  @Column({ type: 'text', array: true })
  events: string[];

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /** AES-256-GCM ciphertext of the current `whsec_` secret. */
  @Column({ type: 'text', select: false })
  secretCiphertext: string;

  /** The secret before the last rotation, still signing until `previousSecretExpiresAt`. */
  @Column({ type: 'text', nullable: true, select: false })
  previousSecretCiphertext: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null;

  /** First failed attempt since the last success; null while deliveries succeed. */
  @Column({ type: 'timestamptz', nullable: true })
  failingSince: Date | null;

  /** When it was disabled for failing every delivery for WEBHOOK_RETRY_DAYS. */
  @Column({ type: 'timestamptz', nullable: true })
  autoDisabledAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
