export * from './availability.service';
export * from './doctor-schedule-lock';
export * from './time-off.service';
