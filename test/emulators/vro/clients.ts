/** Client accounts (v2–v7.21). */
import type { Route } from '../common/server';
import { collection } from './query';
import { api, HttpError, ok, type Ctx, type Deps } from './respond';
import type { VroVersion } from './versions';

/** POST is documented (v2: /v2/Clients, v3+: /api/vN/Clients); list and delete paths are unverified. */
export function clientRoutes(d: Deps, v: VroVersion): Route[] {
	const rootOnly = (c: Ctx) => {
		if (c.p.clientId !== null) throw new HttpError(403, 'Client accounts cannot manage other client accounts. Authenticate with user credentials.');
	};
	return [
		api(d, v, 'POST', '/Clients', (c) => {
			rootOnly(c);
			const cl = d.auth.createClient(c.p);
			return ok({ client_id: cl.clientId, client_secret: cl.clientSecret });
		}),
		api(d, v, 'GET', '/Clients', (c) => {
			rootOnly(c);
			return ok(collection(v, d.auth.clientsOf(c.p).map((x) => ({ client_id: x.clientId, createdAt: x.createdAt })), c.req.query));
		}),
		api(d, v, 'DELETE', '/Clients/{clientId}', (c) => {
			rootOnly(c);
			if (!d.auth.deleteClient(c.p, c.req.params.clientId)) throw new HttpError(404, `Client '${c.req.params.clientId}' was not found.`);
			return ok();
		}),
	];
}
