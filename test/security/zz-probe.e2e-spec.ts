import { TestApp } from '../support/test-app';
import { SecurityFixtures } from './support/fixtures';
import { send } from './support/http';
it('probes', async () => {
  const app = await TestApp.start({ worker: false });
  const fx = await SecurityFixtures.create(app);
  for (const ct of ['application/xml', 'text/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'image/png', 'application/json-patch+json', 'application/javascript', 'text/plain']) {
    const r = await send(app.baseUrl, { method: 'POST', url: '/api/v1/notifications/read-all', token: fx.token('patientA'), rawBody: '{"a":1}', headers: { 'Content-Type': ct } });
    const r2 = await send(app.baseUrl, { method: 'POST', url: '/api/v1/specialties', token: fx.token('admin'), rawBody: JSON.stringify({name: 'S'+ct}), headers: { 'Content-Type': ct } });
    console.log(ct, r.status, r2.status, r2.text.slice(0, 120));
  }
  for (const n of [100, 101, 500, 5000]) {
    const r = await send(app.baseUrl, { method: 'GET', url: '/api/v1/appointments/' + 'x'.repeat(n), token: fx.token('patientA') });
    console.log('long', n, r.status, r.headers.get('content-type'), r.text.slice(0, 150));
  }
  await app.close();
});
