import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { Translator } from './i18n/translator';
import type { MessageContent } from './message';

export const APP_NAME = 'Doctor Appointments';
const TEMPLATE_DIR = join(__dirname, 'templates');

/**
 * Renders a message into HTML (inside the shared layout) and plain text, with the layout's
 * own words (footer, "From the patient", the link fallback) in the message's locale.
 */
@Injectable()
export class TemplateRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly layout = this.compile('layout.html.hbs');
  private readonly html = this.compile('message.html.hbs');
  private readonly text = this.compile('message.text.hbs');

  constructor(private readonly translator: Translator = new Translator()) {}

  render(
    content: MessageContent,
    notificationId: string,
  ): { subject: string; html: string; text: string } {
    const messages = this.translator.for(content.locale);
    const line = (label: string, value: string) => messages.t('email.labelValue', { label, value });
    const context = {
      ...content,
      locale: messages.locale,
      appName: APP_NAME,
      notificationId,
      chrome: {
        footer: messages.t('email.footer', { appName: APP_NAME }),
        reference: messages.t('email.reference', { id: notificationId }),
        fromThePatient: messages.t('email.fromThePatient'),
        buttonFallback: content.action
          ? messages.t('email.buttonFallback', { url: content.action.url })
          : '',
      },
      textDetails: (content.details ?? []).map((d) => line(d.label, d.value)),
      textIntake: (content.intake ?? []).map((d) => line(d.label, d.value)),
      textAction: content.action ? line(content.action.label, content.action.url) : null,
    };
    return {
      subject: content.subject,
      html: this.layout({ ...context, body: this.html(context) }),
      text:
        this.text(context)
          .replace(/\n{3,}/g, '\n\n')
          .trim() + '\n',
    };
  }

  private compile(file: string): HandlebarsTemplateDelegate {
    return this.handlebars.compile(readFileSync(join(TEMPLATE_DIR, file), 'utf8'), {
      strict: false,
    });
  }
}
