import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AuditOutcome } from '../enums';

/** Append-only record of reads and changes of appointments and payments. */
@Entity('audit_logs')
export class AuditLog {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('audit_logs_actor_idx')
  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'text' })
  action: string;

  @Column({ type: 'text' })
  resourceType: string;

  @Index('audit_logs_resource_idx')
  @Column({ type: 'uuid', nullable: true })
  resourceId: string | null;

  @Column({ type: 'enum', enum: AuditOutcome, enumName: 'audit_outcome' })
  outcome: AuditOutcome;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ type: 'text', nullable: true })
  requestId: string | null;

  @Index('audit_logs_at_idx')
  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;
}
