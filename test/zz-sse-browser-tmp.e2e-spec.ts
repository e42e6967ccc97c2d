import { existsSync, writeFileSync } from 'node:fs';
import { NotificationDispatcher } from '@app/notifications';
import { BookingFixtures } from './support/booking-fixtures';
import { TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';
jest.setTimeout(300_000);
it('serves a stream for a browser check', async () => {
  const app = await TestApp.start();
  const user = await new BookingFixtures(app).patient();
  const tickets: string[] = [];
  for (let i = 0; i < 2; i++) {
    const res = await app.http.post('/api/v1/notifications/stream-ticket').set('Authorization', `Bearer ${user.token}`).expect(201);
    tickets.push(res.body.ticket);
  }
  writeFileSync('/tmp/boardcheck/info.json', JSON.stringify({ baseUrl: app.baseUrl, tickets }));
  await waitFor(() => existsSync('/tmp/boardcheck/subscribed'), { timeoutMs: 120_000, intervalMs: 200 });
  await app.worker!.get(NotificationDispatcher, { strict: false }).dispatch(null, [
    { userId: user.id, type: 'announcement', dedupeKey: `browser:${Date.now()}`, channels: ['in_app'], content: { subject: 'Hello browser', heading: 'x', paragraphs: ['y'] }, data: {} },
  ]);
  await waitFor(() => existsSync('/tmp/boardcheck/done'), { timeoutMs: 120_000, intervalMs: 200 });
  await app.close();
});
