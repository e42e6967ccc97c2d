import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyClaimLease1796114034683 implements MigrationInterface {
  name = 'IdempotencyClaimLease1796114034683';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "idempotency_keys"
            ADD "locked_until" TIMESTAMP WITH TIME ZONE
        `);
    // Claims left in progress before leases existed get one from their start, so retries recover them.
    await queryRunner.query(`
            UPDATE "idempotency_keys" SET "locked_until" = "created_at" + interval '30 seconds'
            WHERE "state" = 'in_progress'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "idempotency_keys" DROP COLUMN "locked_until"
        `);
  }
}
