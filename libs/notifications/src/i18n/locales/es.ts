import type { Catalogue } from './en';

export const es: Catalogue = {
  common: {
    hello: 'Hola, {firstName}:',
    doctorName: 'Dr. {lastName}',
    erasedName: 'Cuenta eliminada',
    yes: 'Sí',
    no: 'No',
    viewAppointment: 'Ver la cita',
    findAnotherSlot: 'Buscar otro horario',
    status: {
      pending_approval: 'pendiente de aceptación',
      pending_payment: 'pendiente de pago',
      confirmed: 'confirmada',
      completed: 'realizada',
      no_show: 'no acudió',
      expired: 'caducada',
      cancelled: 'cancelada',
      rescheduled: 'cambiada de fecha',
      declined: 'rechazada',
    },
  },
  label: {
    when: 'Cuándo',
    visit: 'Consulta',
    status: 'Estado',
    reason: 'Motivo',
    note: 'Nota',
    was: 'Antes',
    now: 'Ahora',
    amount: 'Importe',
    appointment: 'Cita',
    paymentReference: 'Referencia del pago',
    from: 'De',
  },
  email: {
    labelValue: '{label}: {value}',
    footer: 'Recibe este correo porque tiene una cuenta en {appName}.',
    reference: 'Referencia: {id}',
    fromThePatient: 'Datos del paciente',
    buttonFallback: 'Si el botón no funciona, abra este enlace: {url}',
  },
  account: {
    verifyEmail: {
      subject: 'Confirme su dirección de correo',
      heading: 'Confirme su dirección de correo',
      body: '¡Le damos la bienvenida! Confirme que esta dirección de correo es suya. El enlace es válido durante 24 horas.',
      action: 'Confirmar correo',
    },
    resetPassword: {
      subject: 'Restablezca su contraseña',
      heading: 'Restablezca su contraseña',
      body: 'Alguien ha pedido restablecer la contraseña de su cuenta. Si ha sido usted, use el enlace de abajo antes de una hora.',
      notYou: 'Si no ha sido usted, ignore este correo: su contraseña no cambia.',
      action: 'Elegir una contraseña nueva',
    },
    doctorInvited: {
      subject: 'Su cuenta de médico está lista',
      heading: 'Le damos la bienvenida',
      body: 'Un administrador le ha creado una cuenta de médico. Elija su contraseña para iniciar sesión; el enlace es válido durante 7 días.',
      action: 'Elegir contraseña',
    },
  },
  duration: {
    hours: '{count, plural, one {# hora} other {# horas}}',
    minutes: '{count, plural, one {# minuto} other {# minutos}}',
  },
  appointment: {
    reminder: {
      subject: 'Recordatorio: cita dentro de {duration}',
      heading: 'Su cita empieza dentro de {duration}',
      body: 'Le recordamos su cita con {other}.',
    },
    booked: {
      patientSubject: 'Reserva recibida',
      doctorSubject: 'Nueva reserva',
      approvalSubject: 'Solicitud de cita',
      patientHeading: 'Su reserva con {other}',
      doctorHeading: 'Nueva reserva de {other}',
      approvalHeading: '{other} solicita una cita',
      patientApproval:
        '{other} revisará su solicitud y le responderá antes del {deadline}. Hasta entonces, le guardamos el horario.',
      patientHold:
        'Le guardamos el horario hasta el {until}. Complete el pago antes para confirmarlo.',
      patientBooked: 'Su cita está reservada.',
      doctorApproval:
        'Acepte o rechace esta solicitud antes del {deadline}; después se rechazará automáticamente.',
      doctorBooked: 'Se ha reservado una cita en su agenda.',
    },
    approved: {
      subject: 'Cita aceptada',
      heading: '{doctor} ha aceptado su cita',
      pay: 'Complete el pago antes del {until} para confirmarla.',
      confirmed: 'Su cita está confirmada.',
    },
    declined: {
      subject: 'Solicitud de cita rechazada',
      heading: '{doctor} no puede aceptar su solicitud',
      byDoctor: 'La consulta ha rechazado esta solicitud de cita. No se le ha cobrado nada.',
      lapsed:
        'La consulta no respondió a tiempo, así que la solicitud ha caducado. No se le ha cobrado nada.',
    },
    confirmed: {
      subject: 'Cita confirmada',
      heading: 'Cita con {other} confirmada',
      body: 'La cita está confirmada. Le adjuntamos una invitación para su calendario.',
    },
    cancelled: {
      subject: 'Cita cancelada',
      heading: 'Cita con {other} cancelada',
      by: '{by, select, patient {El paciente ha cancelado la cita.} doctor {La consulta ha cancelado la cita.} other {Nuestro equipo ha cancelado la cita.}}',
      refund: 'Le devolveremos el importe íntegro.',
      noRefund: 'Según la política de cancelación, no corresponde ningún reembolso.',
    },
    rescheduled: {
      subject: 'Cita cambiada de fecha',
      heading: 'Cita con {other} cambiada de fecha',
      body: 'La cita tiene una nueva hora. Le adjuntamos la invitación actualizada para su calendario.',
    },
    holdExpired: {
      subject: 'Su horario se ha liberado',
      heading: 'Se agotó el plazo de pago',
      body: 'Su horario reservado con {doctor} se ha liberado porque el pago no se completó a tiempo.',
    },
    calendarSummary: 'Cita con {other}',
  },
  payment: {
    captured: {
      subject: 'Pago recibido',
      body: 'Gracias, hemos recibido su pago.',
    },
    refunded: {
      subject: 'Reembolso realizado',
      body: 'Le hemos devuelto el pago. Puede tardar unos días en aparecer en su extracto.',
    },
  },
  waitlist: {
    slotAvailable: {
      subject: 'Hay un horario libre con {doctor}',
      heading: 'Se acaba de liberar un horario',
      body: 'Un horario que esperaba con {doctor} vuelve a estar libre. Se lo queda quien reserve primero.',
      action: 'Reservar este horario',
    },
  },
};
