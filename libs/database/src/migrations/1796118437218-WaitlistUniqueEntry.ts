import { MigrationInterface, QueryRunner } from 'typeorm';

export class WaitlistUniqueEntry1796118437218 implements MigrationInterface {
  name = 'WaitlistUniqueEntry1796118437218';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Duplicates accepted before this index: keep the oldest of each active.
    await queryRunner.query(`
            UPDATE "waitlist_entries" w SET "active" = false
             WHERE w."active" AND EXISTS (
                   SELECT 1 FROM "waitlist_entries" o
                    WHERE o."active" AND o."patient_id" = w."patient_id"
                      AND o."doctor_id" = w."doctor_id" AND o."from_date" = w."from_date"
                      AND o."to_date" = w."to_date"
                      AND (o."created_at", o."id") < (w."created_at", w."id"))
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "waitlist_entries_active_unique" ON "waitlist_entries" (
                "patient_id",
                "doctor_id",
                "from_date",
                "to_date"
            )
            WHERE "active"
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."waitlist_entries_active_unique"
        `);
  }
}
