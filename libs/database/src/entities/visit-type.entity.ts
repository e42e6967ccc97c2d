import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { VisitMode } from '../enums';
import { User } from './user.entity';

export type QuestionKind =
  'text' | 'long_text' | 'single_choice' | 'multi_choice' | 'boolean' | 'date';

/** An intake question a patient answers when booking this type. */
export interface IntakeQuestion {
  key: string;
  label: string;
  kind: QuestionKind;
  required: boolean;
  /** single_choice and multi_choice only. */
  options?: string[];
}

/** What a doctor offers: its length, price, buffers and whether the doctor must approve. */
@Entity('visit_types')
@Check('visit_types_duration_check', '"duration_minutes" BETWEEN 5 AND 480')
@Check('visit_types_price_check', '"price_minor" >= 0')
@Check(
  'visit_types_buffers_check',
  '"buffer_before_minutes" BETWEEN 0 AND 120 AND "buffer_after_minutes" BETWEEN 0 AND 120',
)
@Check('visit_types_approval_deadline_check', '"approval_deadline_hours" BETWEEN 1 AND 168')
@Check('visit_types_change_cutoff_check', '"change_cutoff_hours" BETWEEN 0 AND 168')
@Index('visit_types_doctor_order_idx', ['doctorId', 'position', 'createdAt'], { where: '"active"' })
export class VisitType {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  doctorId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'doctor_id' })
  doctor?: User;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'int' })
  durationMinutes: number;

  @Column({ type: 'int' })
  priceMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'int', default: 0 })
  bufferBeforeMinutes: number;

  @Column({ type: 'int', default: 0 })
  bufferAfterMinutes: number;

  @Column({ type: 'enum', enum: VisitMode, enumName: 'visit_mode', default: VisitMode.InPerson })
  mode: VisitMode;

  @Column({ type: 'text', nullable: true })
  location: string | null;

  @Column({ type: 'boolean', default: false })
  requiresApproval: boolean;

  @Column({ type: 'int', default: 24 })
  approvalDeadlineHours: number;

  @Column({ type: 'int', default: 0 })
  changeCutoffHours: number;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  questions: IntakeQuestion[];

  @Column({ type: 'int', default: 0 })
  position: number;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
