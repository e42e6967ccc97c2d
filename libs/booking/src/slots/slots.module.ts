import { Module } from '@nestjs/common';
import { AvailabilityService } from '../availability/availability.service';
import { TimeOffService } from '../availability/time-off.service';
import { DoctorDirectoryService } from '../doctors/doctor-directory.service';
import { DoctorProfileService } from '../doctors/doctor-profile.service';
import { SpecialtyService } from '../doctors/specialty.service';
import { VisitTypesService } from '../visit-types/visit-types.service';
import { SlotService } from './slot.service';

const SERVICES = [
  AvailabilityService,
  DoctorDirectoryService,
  DoctorProfileService,
  SlotService,
  SpecialtyService,
  TimeOffService,
  VisitTypesService,
];

/** Doctors, their weekly hours and time off, and the free slots they add up to. */
@Module({
  providers: SERVICES,
  exports: SERVICES,
})
export class SlotsModule {}
