import { formatMoney, MoneyDto } from '@app/common';
import { DoctorProfile, Specialty, User } from '@app/database';

export interface SpecialtySummary {
  id: string;
  name: string;
}

/** A doctor as anyone may see it; `id` is the doctor's user id. */
export interface PublicDoctor {
  id: string;
  firstName: string;
  lastName: string;
  specialties: SpecialtySummary[];
  bio: string;
  consultationFee: MoneyDto;
  slotDurationMinutes: number;
  timezone: string;
  /** Start of the first free slot within the look-ahead window, or null. */
  nextAvailableAt: Date | null;
}

export function toPublicDoctor(
  profile: DoctorProfile & { user: User },
  specialties: Specialty[],
  nextAvailableAt: Date | null,
): PublicDoctor {
  return {
    id: profile.userId,
    firstName: profile.user.firstName,
    lastName: profile.user.lastName,
    specialties: [...specialties]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((specialty) => ({ id: specialty.id, name: specialty.name })),
    bio: profile.bio,
    consultationFee: formatMoney({ minor: profile.feeMinor, currency: profile.currency.trim() }),
    slotDurationMinutes: profile.slotDurationMinutes,
    timezone: profile.timezone,
    nextAvailableAt,
  };
}
