import { Module } from '@nestjs/common';
import { BookingModule } from '@app/booking';
import { AuditTrailModule } from '@app/core';
import { EraseAccount } from './erase-account.use-case';
import { ExportPersonalData } from './export-personal-data.use-case';
import { PERSONAL_DATA_SECTIONS, SECTION_CLASSES } from './personal-data-sections';

/** Export and erasure of a person's data, across the libs that own it. */
@Module({
  imports: [BookingModule, AuditTrailModule],
  providers: [
    ...SECTION_CLASSES,
    {
      provide: PERSONAL_DATA_SECTIONS,
      inject: SECTION_CLASSES,
      useFactory: (...sections: unknown[]) => sections,
    },
    ExportPersonalData,
    EraseAccount,
  ],
  exports: [ExportPersonalData, EraseAccount],
})
export class PrivacyModule {}
