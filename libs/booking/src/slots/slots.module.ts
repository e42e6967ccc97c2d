import { Module } from '@nestjs/common';
import { AvailabilityService } from './availability.service';
import { DoctorDirectoryService } from './doctor-directory.service';
import { DoctorProfileService } from './doctor-profile.service';
import { SlotService } from './slot.service';
import { SpecialtyService } from './specialty.service';
import { TimeOffService } from './time-off.service';

const SERVICES = [
  AvailabilityService,
  DoctorDirectoryService,
  DoctorProfileService,
  SlotService,
  SpecialtyService,
  TimeOffService,
];

/** Doctors, their weekly hours and time off, and the free slots they add up to. */
@Module({
  providers: SERVICES,
  exports: SERVICES,
})
export class SlotsModule {}
