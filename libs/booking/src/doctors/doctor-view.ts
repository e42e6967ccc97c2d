import { formatMoney, MoneyDto } from '@app/common';
import { DoctorProfile, Specialty, User, VisitMode } from '@app/database';
import type { ActiveVisitType } from '../slots/slot.service';

export interface SpecialtySummary {
  id: string;
  name: string;
}

export interface VisitTypeSummary {
  id: string;
  name: string;
  durationMinutes: number;
  price: MoneyDto;
  mode: VisitMode;
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
  /** Active visit types, in booking order (the first one is booked by default). */
  visitTypes: VisitTypeSummary[];
  /** Earliest free start of any active visit type within the look-ahead window, or null. */
  nextAvailableAt: Date | null;
}

export function toPublicDoctor(
  profile: DoctorProfile & { user: User },
  specialties: Specialty[],
  visitTypes: ActiveVisitType[],
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
    visitTypes: visitTypes.map((type) => ({
      id: type.id,
      name: type.name,
      durationMinutes: type.durationMinutes,
      price: formatMoney({ minor: type.priceMinor, currency: type.currency.trim() }),
      mode: type.mode,
    })),
    nextAvailableAt,
  };
}
