import { FastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule } from '@bull-board/nestjs';
import { Module } from '@nestjs/common';
import { BOARD_ROUTE, BoardAccess } from './board-access';
import { QueuesBoardController } from './queues-board.controller';
import { QueuesBoardSetup } from './queues-board.setup';

/** Bull Board at /admin/queues (outside /api/v1), for admins only. */
@Module({
  imports: [
    BullBoardModule.forRoot({
      route: BOARD_ROUTE,
      adapter: FastifyAdapter,
      boardOptions: { uiConfig: { boardTitle: 'Doctor Appointment queues', hideDocsLink: true } },
    }),
  ],
  controllers: [QueuesBoardController],
  providers: [BoardAccess, QueuesBoardSetup],
})
export class QueuesBoardModule {}
