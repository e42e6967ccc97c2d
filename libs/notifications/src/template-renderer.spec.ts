import { TemplateRenderer } from './template-renderer';

describe(TemplateRenderer.name, () => {
  const renderer = new TemplateRenderer();

  it('renders HTML in the layout and a plain-text twin with the same facts', () => {
    const out = renderer.render(
      {
        subject: 'Appointment confirmed',
        heading: 'Your appointment is confirmed',
        paragraphs: ['See you soon.'],
        details: [{ label: 'When', value: 'Monday 1 March 2027 at 09:00' }],
        action: { label: 'View appointment', url: 'http://localhost:3000/appointments/abc' },
      },
      'notif-1',
    );
    expect(out.subject).toBe('Appointment confirmed');
    expect(out.html).toContain('<!doctype html>');
    expect(out.html).toContain('Your appointment is confirmed');
    expect(out.html).toContain('href="http://localhost:3000/appointments/abc"');
    expect(out.text).toContain('When: Monday 1 March 2027 at 09:00');
    expect(out.text).toContain('View appointment: http://localhost:3000/appointments/abc');
    expect(out.text).toContain('Reference: notif-1');
  });

  it('escapes user-provided text in HTML', () => {
    const out = renderer.render(
      { subject: 's', heading: 'h', paragraphs: ['<script>alert(1)</script>'] },
      'n',
    );
    expect(out.html).not.toContain('<script>');
    expect(out.html).toContain('&lt;script&gt;');
  });
});
