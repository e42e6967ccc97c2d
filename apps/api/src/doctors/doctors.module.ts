import { Module } from '@nestjs/common';
import { SlotsModule } from '@app/booking';
import { DoctorsController } from './doctors.controller';
import { MyAvailabilityController } from './my-availability.controller';
import { MyDoctorProfileController } from './my-doctor-profile.controller';
import { MyTimeOffController } from './my-time-off.controller';
import { MyVisitTypesController } from './my-visit-types.controller';

@Module({
  imports: [SlotsModule],
  controllers: [
    DoctorsController,
    MyDoctorProfileController,
    MyAvailabilityController,
    MyTimeOffController,
    MyVisitTypesController,
  ],
})
export class DoctorsModule {}
