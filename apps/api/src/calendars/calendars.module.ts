import { Module } from '@nestjs/common';
import { BookingModule } from '@app/booking';
import { CalendarFeedController } from './calendar-feed.controller';
import { MyBusyCalendarsController } from './my-busy-calendars.controller';
import { MyCalendarFeedController } from './my-calendar-feed.controller';

@Module({
  imports: [BookingModule],
  controllers: [MyCalendarFeedController, CalendarFeedController, MyBusyCalendarsController],
})
export class CalendarsModule {}
