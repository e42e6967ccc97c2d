import {
  Check,
  Column,
  Entity,
  Exclusion,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { User } from './user.entity';

/** A weekly window in the doctor's local wall-clock time. */
@Entity('availability_rules')
@Check('availability_rules_day_check', '"day_of_week" BETWEEN 0 AND 6')
@Check('availability_rules_range_check', '"end_time" > "start_time"')
@Exclusion(
  'availability_rules_no_overlap',
  `USING gist ("doctor_id" WITH =, "day_of_week" WITH =, tsrange(DATE '2000-01-01' + "start_time", DATE '2000-01-01' + "end_time") WITH &&)`,
)
export class AvailabilityRule {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('availability_rules_doctor_idx')
  @Column({ type: 'uuid' })
  doctorId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'doctor_id' })
  doctor?: User;

  @Column({ type: 'smallint' })
  dayOfWeek: number;

  /** 'HH:MM:SS'; '24:00:00' closes a window at midnight. */
  @Column({ type: 'time' })
  startTime: string;

  @Column({ type: 'time' })
  endTime: string;
}
