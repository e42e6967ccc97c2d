import type { Catalogue } from './en';

// French typography: a no-break space (\u00a0) before ":", ";", "!" and "?".
export const fr: Catalogue = {
  common: {
    hello: 'Bonjour {firstName},',
    doctorName: 'Dr {lastName}',
    erasedName: 'Compte supprimé',
    yes: 'Oui',
    no: 'Non',
    viewAppointment: 'Voir le rendez-vous',
    findAnotherSlot: 'Trouver un autre créneau',
    status: {
      pending_approval: 'en attente d’acceptation',
      pending_payment: 'en attente de paiement',
      confirmed: 'confirmé',
      completed: 'terminé',
      no_show: 'absence',
      expired: 'expiré',
      cancelled: 'annulé',
      rescheduled: 'déplacé',
      declined: 'refusé',
    },
  },
  label: {
    when: 'Date',
    visit: 'Consultation',
    status: 'Statut',
    reason: 'Motif',
    note: 'Remarque',
    was: 'Avant',
    now: 'Désormais',
    amount: 'Montant',
    appointment: 'Rendez-vous',
    paymentReference: 'Référence du paiement',
    from: 'De la part de',
  },
  email: {
    labelValue: '{label}\u00a0: {value}',
    footer: 'Vous recevez cet e-mail parce que vous avez un compte sur {appName}.',
    reference: 'Référence\u00a0: {id}',
    fromThePatient: 'Informations du patient',
    buttonFallback: 'Si le bouton ne fonctionne pas, ouvrez ce lien\u00a0: {url}',
  },
  account: {
    verifyEmail: {
      subject: 'Confirmez votre adresse e-mail',
      heading: 'Confirmez votre adresse e-mail',
      body: 'Bienvenue\u00a0! Merci de confirmer que cette adresse e-mail est bien la vôtre. Le lien est valable 24\u00a0heures.',
      action: 'Confirmer l’adresse',
    },
    resetPassword: {
      subject: 'Réinitialisez votre mot de passe',
      heading: 'Réinitialisez votre mot de passe',
      body: 'Quelqu’un a demandé à réinitialiser le mot de passe de votre compte. Si c’est vous, utilisez le lien ci-dessous dans l’heure.',
      notYou: 'Sinon, ignorez cet e-mail\u00a0: votre mot de passe reste inchangé.',
      action: 'Choisir un nouveau mot de passe',
    },
    doctorInvited: {
      subject: 'Votre compte médecin est prêt',
      heading: 'Bienvenue',
      body: 'Un administrateur vous a créé un compte médecin. Choisissez votre mot de passe pour vous connecter\u00a0; le lien est valable 7\u00a0jours.',
      action: 'Choisir mon mot de passe',
    },
  },
  duration: {
    hours: '{count, plural, one {# heure} other {# heures}}',
    minutes: '{count, plural, one {# minute} other {# minutes}}',
  },
  appointment: {
    reminder: {
      subject: 'Rappel\u00a0: rendez-vous dans {duration}',
      heading: 'Votre rendez-vous commence dans {duration}',
      body: 'Nous vous rappelons votre rendez-vous avec {other}.',
    },
    booked: {
      patientSubject: 'Réservation reçue',
      doctorSubject: 'Nouvelle réservation',
      approvalSubject: 'Demande de rendez-vous',
      patientHeading: 'Votre réservation avec {other}',
      doctorHeading: 'Nouvelle réservation de {other}',
      approvalHeading: '{other} demande un rendez-vous',
      patientApproval:
        '{other} examine votre demande et vous répondra d’ici le {deadline}. Le créneau vous est réservé jusque-là.',
      patientHold:
        'Votre créneau est réservé jusqu’au {until}. Réglez avant cette date pour le confirmer.',
      patientBooked: 'Votre rendez-vous est réservé.',
      doctorApproval:
        'Merci d’accepter ou de refuser cette demande d’ici le {deadline}\u00a0; passé ce délai, elle sera refusée automatiquement.',
      doctorBooked: 'Un rendez-vous a été ajouté à votre agenda.',
    },
    approved: {
      subject: 'Rendez-vous accepté',
      heading: '{doctor} a accepté votre rendez-vous',
      pay: 'Réglez d’ici le {until} pour le confirmer.',
      confirmed: 'Votre rendez-vous est confirmé.',
    },
    declined: {
      subject: 'Demande de rendez-vous refusée',
      heading: '{doctor} ne peut pas accepter votre demande',
      byDoctor: 'Le cabinet a refusé cette demande de rendez-vous. Rien ne vous a été facturé.',
      lapsed:
        'Le cabinet n’a pas répondu à temps, la demande a donc expiré. Rien ne vous a été facturé.',
    },
    confirmed: {
      subject: 'Rendez-vous confirmé',
      heading: 'Rendez-vous avec {other} confirmé',
      body: 'Le rendez-vous est confirmé. Une invitation pour votre agenda est jointe.',
    },
    cancelled: {
      subject: 'Rendez-vous annulé',
      heading: 'Rendez-vous avec {other} annulé',
      by: 'Le rendez-vous a été annulé par {by, select, patient {le patient} doctor {le cabinet} other {notre équipe}}.',
      refund: 'Votre paiement vous sera intégralement remboursé.',
      noRefund: 'Selon les conditions d’annulation, aucun remboursement n’est prévu.',
    },
    rescheduled: {
      subject: 'Rendez-vous déplacé',
      heading: 'Rendez-vous avec {other} déplacé',
      body: 'Le rendez-vous a un nouvel horaire. Une invitation mise à jour pour votre agenda est jointe.',
    },
    holdExpired: {
      subject: 'Votre créneau a été libéré',
      heading: 'Le délai de paiement est écoulé',
      body: 'Votre créneau réservé avec {doctor} a été libéré, car le paiement n’a pas été effectué à temps.',
    },
    calendarSummary: 'Rendez-vous avec {other}',
  },
  payment: {
    captured: {
      subject: 'Paiement reçu',
      body: 'Merci, nous avons bien reçu votre paiement.',
    },
    refunded: {
      subject: 'Remboursement effectué',
      body: 'Votre paiement a été remboursé. Il peut s’écouler quelques jours avant qu’il apparaisse sur votre relevé.',
    },
  },
  waitlist: {
    slotAvailable: {
      subject: 'Un créneau avec {doctor} est disponible',
      heading: 'Un créneau vient de se libérer',
      body: 'Un créneau que vous attendiez avec {doctor} est de nouveau libre. Il revient à la première personne qui le réserve.',
      action: 'Réserver ce créneau',
    },
  },
};
