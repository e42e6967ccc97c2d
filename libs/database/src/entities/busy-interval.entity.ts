import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { BusyCalendar } from './busy-calendar.entity';

/** One busy occurrence of an outside calendar's event: blocks slots like time off. */
@Entity('busy_intervals')
@Check('busy_intervals_range_check', '"ends_at" > "starts_at"')
@Index('busy_intervals_doctor_range_idx', ['doctorId', 'startsAt', 'endsAt'])
@Index('busy_intervals_calendar_idx', ['calendarId'])
export class BusyInterval {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  calendarId: string;

  @ManyToOne(() => BusyCalendar, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'calendar_id' })
  calendar?: BusyCalendar;

  /** The calendar's doctor, kept here so slot searches read one index. */
  @Column({ type: 'uuid' })
  doctorId: string;

  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'timestamptz' })
  endsAt: Date;
}
