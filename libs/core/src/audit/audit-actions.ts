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
  PatientRead = 'patient.read',
  /** Someone's personal data exported (by themself). */
  AccountExport = 'account.export',
  /** Someone's personal data erased (by themself or an admin). */
  AccountErase = 'account.erase',
  SeriesCreate = 'series.create',
  SeriesRead = 'series.read',
  SeriesCancel = 'series.cancel',
  SeriesApprove = 'series.approve',
  SeriesDecline = 'series.decline',
}

export enum AuditResource {
  Appointment = 'appointment',
  Payment = 'payment',
  Patient = 'patient',
  User = 'user',
  Series = 'series',
}
