import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };

/** A client whose paths, parameters, bodies and answers are typed from openapi.json. */
export type ApiClient = Client<paths>;

/** Every schema of the API by name, e.g. `Schemas['AppointmentDto']`. */
export type Schemas = components['schemas'];

/** The body of every error answer (application/problem+json). */
export type Problem = Schemas['ProblemDetails'];

/** Returns the current access token, or nothing for anonymous calls. */
export type TokenSource = () => string | null | undefined | Promise<string | null | undefined>;

/**
 * `baseUrl` is the api's origin (e.g. `http://localhost:3000`); paths carry `/api/v1`.
 * With `getToken`, each request sends `Authorization: Bearer <token>` when there is one.
 */
export function createApiClient(baseUrl: string, getToken?: TokenSource): ApiClient {
  const client = createClient<paths>({ baseUrl: baseUrl.replace(/\/+$/, '') });
  if (getToken) {
    client.use({
      async onRequest({ request }) {
        const token = await getToken();
        if (token && !request.headers.has('Authorization')) {
          request.headers.set('Authorization', `Bearer ${token}`);
        }
        return request;
      },
    });
  }
  return client;
}
