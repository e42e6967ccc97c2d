import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  JoinTable,
  ManyToMany,
  OneToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Specialty } from './specialty.entity';
import { User } from './user.entity';

@Entity('doctor_profiles')
@Check('doctor_profiles_slot_duration_check', '"slot_duration_minutes" BETWEEN 5 AND 240')
@Check('doctor_profiles_fee_check', '"fee_minor" >= 0')
export class DoctorProfile {
  /** The doctor's user id: a doctor's id is the same everywhere. */
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @OneToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'text', default: '' })
  bio: string;

  @Column({ type: 'int', default: 0 })
  feeMinor: number;

  @Column({ type: 'char', length: 3, default: 'USD' })
  currency: string;

  @Column({ type: 'int', default: 30 })
  slotDurationMinutes: number;

  @Column({ type: 'text', default: 'UTC' })
  timezone: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @ManyToMany(() => Specialty)
  @JoinTable({
    name: 'doctor_specialties',
    joinColumn: { name: 'doctor_id', referencedColumnName: 'userId' },
    inverseJoinColumn: { name: 'specialty_id', referencedColumnName: 'id' },
  })
  specialties?: Specialty[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
