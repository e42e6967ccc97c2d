/** What an audit row says was attempted; stored as text, so names are never reused. */
export enum AuditAction {
  AppointmentCreate = 'appointment.create',
  AppointmentList = 'appointment.list',
  AppointmentRead = 'appointment.read',
  AppointmentCancel = 'appointment.cancel',
  AppointmentReschedule = 'appointment.reschedule',
  AppointmentComplete = 'appointment.complete',
  AppointmentNoShow = 'appointment.no_show',
  AppointmentApprove = 'appointment.approve',
  AppointmentDecline = 'appointment.decline',
  PaymentCreate = 'payment.create',
  PaymentCapture = 'payment.capture',
  PaymentRead = 'payment.read',
  SeriesCreate = 'series.create',
  SeriesRead = 'series.read',
  SeriesCancel = 'series.cancel',
  SeriesApprove = 'series.approve',
  SeriesDecline = 'series.decline',
}

export enum AuditResource {
  Appointment = 'appointment',
  Payment = 'payment',
  Series = 'series',
}
