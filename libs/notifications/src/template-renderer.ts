import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import type { MessageContent } from './message';

export const APP_NAME = 'Doctor Appointments';
const TEMPLATE_DIR = join(__dirname, 'templates');

/** Renders a message into HTML (inside the shared layout) and plain text. */
@Injectable()
export class TemplateRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly layout = this.compile('layout.html.hbs');
  private readonly html = this.compile('message.html.hbs');
  private readonly text = this.compile('message.text.hbs');

  render(
    content: MessageContent,
    notificationId: string,
  ): { subject: string; html: string; text: string } {
    const context = { ...content, appName: APP_NAME, notificationId };
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
