import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditFailedOutcome1796116902851 implements MigrationInterface {
  name = 'AuditFailedOutcome1796116902851';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TYPE "public"."audit_outcome"
            ADD VALUE 'failed'
        `);
  }

  // Fails while `failed` rows exist (the cast refuses them): an append-only trail is not rewritten.
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TYPE "public"."audit_outcome_old" AS ENUM('allowed', 'denied')
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_logs"
            ALTER COLUMN "outcome" TYPE "public"."audit_outcome_old" USING "outcome"::"text"::"public"."audit_outcome_old"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."audit_outcome"
        `);
    await queryRunner.query(`
            ALTER TYPE "public"."audit_outcome_old"
            RENAME TO "audit_outcome"
        `);
  }
}
