import { TestApp } from '../support/test-app';
import { SecurityFixtures } from './support/fixtures';
import { send } from './support/http';
it('probes', async () => {
  const app = await TestApp.start({ worker: false, env: { CORS_ORIGINS: 'https://app.example.com' } });
  const fx = await SecurityFixtures.create(app);
  for (const url of ['/docs', '/docs/', '/docs/index.html']) {
    const r = await send(app.baseUrl, { method: 'GET', url });
    console.log(url, r.status, JSON.stringify(Object.fromEntries(r.headers)), r.text.slice(0, 3000));
  }
  const b = await send(app.baseUrl, { method: 'GET', url: '/admin/queues', token: fx.token('admin') });
  console.log('board', b.status, b.headers.get('content-security-policy'), b.text.slice(0, 3000));
  const p = await send(app.baseUrl, { method: 'OPTIONS', url: '/api/v1/me', headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'authorization,content-type' } });
  console.log('preflight', p.status, JSON.stringify(Object.fromEntries(p.headers)));
  const e = await send(app.baseUrl, { method: 'OPTIONS', url: '/api/v1/me', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'PATCH' } });
  console.log('evil', e.status, JSON.stringify(Object.fromEntries(e.headers)));
  await app.close();
});
