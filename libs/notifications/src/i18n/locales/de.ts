import type { Catalogue } from './en';

export const de: Catalogue = {
  common: {
    hello: 'Hallo {firstName},',
    doctorName: 'Dr. {lastName}',
    erasedName: 'Gelöschtes Konto',
    yes: 'Ja',
    no: 'Nein',
    viewAppointment: 'Termin ansehen',
    findAnotherSlot: 'Anderen Termin finden',
    status: {
      pending_approval: 'wartet auf Annahme',
      pending_payment: 'wartet auf Zahlung',
      confirmed: 'bestätigt',
      completed: 'abgeschlossen',
      no_show: 'nicht erschienen',
      expired: 'abgelaufen',
      cancelled: 'abgesagt',
      rescheduled: 'verschoben',
      declined: 'abgelehnt',
    },
  },
  label: {
    when: 'Wann',
    visit: 'Terminart',
    status: 'Status',
    reason: 'Grund',
    note: 'Hinweis',
    was: 'Bisher',
    now: 'Neu',
    amount: 'Betrag',
    appointment: 'Termin',
    paymentReference: 'Zahlungsreferenz',
    from: 'Von',
  },
  email: {
    labelValue: '{label}: {value}',
    footer: 'Sie erhalten diese E-Mail, weil Sie ein Konto bei {appName} haben.',
    reference: 'Referenz: {id}',
    fromThePatient: 'Angaben des Patienten',
    buttonFallback: 'Falls die Schaltfläche nicht funktioniert, öffnen Sie diesen Link: {url}',
  },
  account: {
    verifyEmail: {
      subject: 'Bestätigen Sie Ihre E-Mail-Adresse',
      heading: 'Bestätigen Sie Ihre E-Mail-Adresse',
      body: 'Willkommen! Bitte bestätigen Sie, dass diese E-Mail-Adresse Ihnen gehört. Der Link ist 24 Stunden gültig.',
      action: 'E-Mail-Adresse bestätigen',
    },
    resetPassword: {
      subject: 'Passwort zurücksetzen',
      heading: 'Passwort zurücksetzen',
      body: 'Jemand möchte das Passwort Ihres Kontos zurücksetzen. Wenn Sie das waren, nutzen Sie innerhalb einer Stunde den Link unten.',
      notYou: 'Wenn nicht, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.',
      action: 'Neues Passwort wählen',
    },
    doctorInvited: {
      subject: 'Ihr Arztkonto ist bereit',
      heading: 'Willkommen',
      body: 'Ein Administrator hat ein Arztkonto für Sie angelegt. Wählen Sie ein Passwort, um sich anzumelden; der Link ist 7 Tage gültig.',
      action: 'Passwort festlegen',
    },
  },
  duration: {
    hours: '{count, plural, one {# Stunde} other {# Stunden}}',
    minutes: '{count, plural, one {# Minute} other {# Minuten}}',
  },
  appointment: {
    reminder: {
      subject: 'Erinnerung: Termin in {duration}',
      heading: 'Ihr Termin beginnt in {duration}',
      body: 'Wir erinnern Sie an Ihren Termin mit {other}.',
    },
    booked: {
      patientSubject: 'Buchung eingegangen',
      doctorSubject: 'Neue Buchung',
      approvalSubject: 'Neue Terminanfrage',
      patientHeading: 'Ihre Buchung bei {other}',
      doctorHeading: 'Neue Buchung von {other}',
      approvalHeading: '{other} bittet um einen Termin',
      patientApproval:
        '{other} prüft Ihre Anfrage und antwortet bis {deadline}. Bis dahin bleibt der Termin für Sie reserviert.',
      patientHold:
        'Ihr Termin ist bis {until} reserviert. Schließen Sie die Zahlung vorher ab, um ihn zu bestätigen.',
      patientBooked: 'Ihr Termin ist gebucht.',
      doctorApproval:
        'Bitte nehmen Sie diese Anfrage bis {deadline} an oder lehnen Sie sie ab; danach wird sie automatisch abgelehnt.',
      doctorBooked: 'In Ihrem Kalender wurde ein Termin gebucht.',
    },
    approved: {
      subject: 'Termin angenommen',
      heading: '{doctor} hat Ihren Termin angenommen',
      pay: 'Schließen Sie die Zahlung bis {until} ab, um ihn zu bestätigen.',
      confirmed: 'Ihr Termin ist bestätigt.',
    },
    declined: {
      subject: 'Terminanfrage abgelehnt',
      heading: '{doctor} kann Ihre Anfrage nicht annehmen',
      byDoctor: 'Die Praxis hat diese Terminanfrage abgelehnt. Ihnen wurde nichts berechnet.',
      lapsed:
        'Die Praxis hat nicht rechtzeitig geantwortet, daher ist die Anfrage verfallen. Ihnen wurde nichts berechnet.',
    },
    confirmed: {
      subject: 'Termin bestätigt',
      heading: 'Termin mit {other} bestätigt',
      body: 'Der Termin ist bestätigt. Eine Kalendereinladung ist angehängt.',
    },
    cancelled: {
      subject: 'Termin abgesagt',
      heading: 'Termin mit {other} abgesagt',
      by: 'Der Termin wurde {by, select, patient {vom Patienten} doctor {von der Praxis} other {von unserem Team}} abgesagt.',
      refund: 'Ihre Zahlung wird vollständig erstattet.',
      noRefund: 'Gemäß den Stornobedingungen wird nichts erstattet.',
    },
    rescheduled: {
      subject: 'Termin verschoben',
      heading: 'Termin mit {other} verschoben',
      body: 'Der Termin hat eine neue Uhrzeit. Eine aktualisierte Kalendereinladung ist angehängt.',
    },
    holdExpired: {
      subject: 'Ihr Termin wurde freigegeben',
      heading: 'Die Zahlungsfrist ist abgelaufen',
      body: 'Ihr reservierter Termin bei {doctor} wurde freigegeben, weil die Zahlung nicht rechtzeitig abgeschlossen wurde.',
    },
    calendarSummary: 'Termin mit {other}',
  },
  payment: {
    captured: {
      subject: 'Zahlung erhalten',
      body: 'Vielen Dank, wir haben Ihre Zahlung erhalten.',
    },
    refunded: {
      subject: 'Betrag erstattet',
      body: 'Ihre Zahlung wurde erstattet. Es kann einige Tage dauern, bis die Gutschrift auf Ihrem Konto erscheint.',
    },
  },
  waitlist: {
    slotAvailable: {
      subject: 'Ein Termin bei {doctor} ist frei',
      heading: 'Ein Termin ist frei geworden',
      body: 'Ein Termin bei {doctor}, auf den Sie gewartet haben, ist wieder frei. Wer zuerst bucht, bekommt ihn.',
      action: 'Diesen Termin buchen',
    },
  },
};
