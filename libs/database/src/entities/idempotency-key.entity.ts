import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { IdempotencyState } from '../enums';

@Entity('idempotency_keys')
@Index('idempotency_keys_user_key', ['userId', 'key'], { unique: true })
export class IdempotencyKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  key: string;

  /** sha256 of method, route and body: the same key with another request is refused. */
  @Column({ type: 'text' })
  requestHash: string;

  @Column({ type: 'enum', enum: IdempotencyState, enumName: 'idempotency_state' })
  state: IdempotencyState;

  @Column({ type: 'int', nullable: true })
  responseStatus: number | null;

  @Column({ type: 'jsonb', nullable: true })
  responseBody: unknown;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /**
   * Lease of an in_progress claim, renewed while its request runs: once it has passed, the
   * claimant is presumed dead and a retry with the same request may take the claim over.
   * Null once completed.
   */
  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Index('idempotency_keys_expires_idx')
  @Column({ type: 'timestamptz' })
  expiresAt: Date;
}
