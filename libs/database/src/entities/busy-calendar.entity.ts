import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { User } from './user.entity';

/** An outside calendar (iCalendar URL) of a doctor whose events block slots. */
@Entity('busy_calendars')
@Index('busy_calendars_doctor_url_key', ['doctorId', 'url'], { unique: true })
export class BusyCalendar {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  doctorId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'doctor_id' })
  doctor?: User;

  @Column({ type: 'text' })
  url: string;

  /** Order in the doctor's list. */
  @Column({ type: 'int' })
  position: number;

  /** The last fetch that succeeded: its intervals are the ones in force. */
  @Column({ type: 'timestamptz', nullable: true })
  lastFetchedAt: Date | null;

  /** Why the last fetch failed (null after a success); never a response body. */
  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  /** Busy intervals stored from the last good fetch. */
  @Column({ type: 'int', default: 0 })
  busyCount: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
