import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { User } from './user.entity';

@Entity('waitlist_entries')
@Check('waitlist_entries_range_check', '"to_date" >= "from_date"')
@Index('waitlist_entries_doctor_active_idx', ['doctorId', 'fromDate', 'toDate'], {
  where: '"active"',
})
// A patient waits once for the same doctor and range: a second identical entry is refused.
@Index('waitlist_entries_active_unique', ['patientId', 'doctorId', 'fromDate', 'toDate'], {
  unique: true,
  where: '"active"',
})
export class WaitlistEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('waitlist_entries_patient_idx')
  @Column({ type: 'uuid' })
  patientId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'patient_id' })
  patient?: User;

  @Column({ type: 'uuid' })
  doctorId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'doctor_id' })
  doctor?: User;

  /** Dates in the doctor's time zone, both inclusive. */
  @Column({ type: 'date' })
  fromDate: string;

  @Column({ type: 'date' })
  toDate: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  lastNotifiedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
