/**
 * English, the reference catalogue: every other locale has exactly these keys with the same
 * ICU arguments (i18n.spec.ts fails otherwise). Messages are ICU MessageFormat.
 */
export const en = {
  common: {
    hello: 'Hello {firstName},',
    doctorName: 'Dr. {lastName}',
    erasedName: 'Deleted account',
    yes: 'Yes',
    no: 'No',
    viewAppointment: 'View appointment',
    findAnotherSlot: 'Find another slot',
    status: {
      pending_approval: 'pending approval',
      pending_payment: 'pending payment',
      confirmed: 'confirmed',
      completed: 'completed',
      no_show: 'no show',
      expired: 'expired',
      cancelled: 'cancelled',
      rescheduled: 'rescheduled',
      declined: 'declined',
    },
  },
  label: {
    when: 'When',
    visit: 'Visit',
    status: 'Status',
    reason: 'Reason',
    note: 'Note',
    was: 'Was',
    now: 'Now',
    amount: 'Amount',
    appointment: 'Appointment',
    paymentReference: 'Payment reference',
    from: 'From',
  },
  email: {
    labelValue: '{label}: {value}',
    footer: 'You receive this email because of your account at {appName}.',
    reference: 'Reference: {id}',
    fromThePatient: 'From the patient',
    buttonFallback: 'If the button does not work, open this link: {url}',
  },
  account: {
    verifyEmail: {
      subject: 'Confirm your email address',
      heading: 'Confirm your email address',
      body: 'Welcome! Please confirm that this email address is yours. The link is valid for 24 hours.',
      action: 'Confirm email',
    },
    resetPassword: {
      subject: 'Reset your password',
      heading: 'Reset your password',
      body: 'Someone asked to reset the password of your account. If it was you, use the link below within one hour.',
      notYou: 'If it was not you, ignore this email: your password stays unchanged.',
      action: 'Choose a new password',
    },
    doctorInvited: {
      subject: 'Your doctor account is ready',
      heading: 'Welcome aboard',
      body: 'An administrator created a doctor account for you. Choose your password to sign in; the link is valid for 7 days.',
      action: 'Set your password',
    },
  },
  duration: {
    hours: '{count, plural, one {# hour} other {# hours}}',
    minutes: '{count, plural, one {# minute} other {# minutes}}',
  },
  appointment: {
    reminder: {
      subject: 'Reminder: appointment in {duration}',
      heading: 'Your appointment starts in {duration}',
      body: 'This is a reminder of your appointment with {other}.',
    },
    booked: {
      patientSubject: 'Booking received',
      doctorSubject: 'New booking',
      approvalSubject: 'Approval requested',
      patientHeading: 'Your booking with {other}',
      doctorHeading: 'New booking by {other}',
      approvalHeading: '{other} asks for an appointment',
      patientApproval:
        '{other} reviews your request and answers by {deadline}. The time is kept for you until then.',
      patientHold:
        'Your slot is held until {until}. Complete the payment before then to confirm it.',
      patientBooked: 'Your appointment is booked.',
      doctorApproval:
        'Please approve or decline this request by {deadline}; after that it is declined automatically.',
      doctorBooked: 'An appointment was booked in your calendar.',
    },
    approved: {
      subject: 'Appointment approved',
      heading: '{doctor} approved your appointment',
      pay: 'Complete the payment by {until} to confirm it.',
      confirmed: 'Your appointment is confirmed.',
    },
    declined: {
      subject: 'Appointment request declined',
      heading: '{doctor} could not accept your request',
      byDoctor: 'The doctor declined this appointment request. You have not been charged.',
      lapsed:
        'The doctor did not answer in time, so the request lapsed. You have not been charged.',
    },
    confirmed: {
      subject: 'Appointment confirmed',
      heading: 'Appointment with {other} confirmed',
      body: 'The appointment is confirmed. A calendar invitation is attached.',
    },
    cancelled: {
      subject: 'Appointment cancelled',
      heading: 'Appointment with {other} cancelled',
      by: 'The appointment was cancelled by {by, select, patient {the patient} doctor {the doctor} other {our team}}.',
      refund: 'Your payment will be refunded in full.',
      noRefund: 'Under the cancellation policy no refund applies.',
    },
    rescheduled: {
      subject: 'Appointment rescheduled',
      heading: 'Appointment with {other} moved',
      body: 'The appointment has a new time. An updated calendar invitation is attached.',
    },
    holdExpired: {
      subject: 'Your slot was released',
      heading: 'The payment time ran out',
      body: 'Your held slot with {doctor} was released because the payment was not completed in time.',
    },
    calendarSummary: 'Appointment with {other}',
  },
  payment: {
    captured: {
      subject: 'Payment received',
      body: 'Thank you, we received your payment.',
    },
    refunded: {
      subject: 'Refund issued',
      body: 'Your payment was refunded. It may take a few days to appear on your statement.',
    },
  },
  waitlist: {
    slotAvailable: {
      subject: 'A slot with {doctor} is available',
      heading: 'A slot just opened up',
      body: 'A time you were waiting for with {doctor} is free again. The first to book it gets it.',
      action: 'Book this slot',
    },
  },
} as const;

/** The shape every locale fills: the same keys, each a message string. */
export type Catalogue = MessagesOf<typeof en>;
type MessagesOf<T> = { [K in keyof T]: T[K] extends string ? string : MessagesOf<T[K]> };
