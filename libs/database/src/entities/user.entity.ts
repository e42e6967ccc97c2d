import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Locale, UserRole } from '../enums';

@Entity('users')
@Check('users_locale_check', `"locale" IN ('en', 'de', 'fr', 'es')`)
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('users_email_key', { unique: true })
  @Column({ type: 'citext' })
  email: string;

  @Column({ type: 'text', nullable: true, select: false })
  passwordHash: string | null;

  @Index('users_role_idx')
  @Column({ type: 'enum', enum: UserRole, enumName: 'user_role', default: UserRole.Patient })
  role: UserRole;

  @Column({ type: 'text' })
  firstName: string;

  @Column({ type: 'text' })
  lastName: string;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text', default: 'UTC' })
  timezone: string;

  /** The language of the user's emails and in-app notifications. */
  @Column({ type: 'text', default: Locale.En })
  locale: Locale;

  @Column({ type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  deactivatedAt: Date | null;

  /** When the account's personal data was erased (it is deactivated too); null otherwise. */
  @Column({ type: 'timestamptz', nullable: true })
  erasedAt: Date | null;

  /** Bumped to invalidate every access token at once (deactivation, password reset). */
  @Column({ type: 'int', default: 0 })
  tokenVersion: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
