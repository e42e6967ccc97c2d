import { Module } from '@nestjs/common';
import { BookingModule } from '@app/booking';
import { FhirDirectoryController } from './fhir-directory.controller';
import { FhirRecordsController } from './fhir-records.controller';
import { FhirService } from './fhir.service';

/** FHIR R4 under /fhir/R4 (SPEC §6); its wire format is set up in fhir-http.ts. */
@Module({
  imports: [BookingModule],
  controllers: [FhirDirectoryController, FhirRecordsController],
  providers: [FhirService],
})
export class FhirModule {}
