/**
 * API generations of VAO/VRO (docs/vro/rest/versioning.html, archive/vro/70/rest/versioning.html on helpcenter.veeam.com). One emulator serves every enabled generation at once;
 * each generation keeps its own base path, token endpoint, envelope and paging style.
 */
export const VRO_VERSIONS = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v7.1', 'v7.2', 'v7.21', 'v13', 'v13.1'] as const;
export type VroVersion = (typeof VRO_VERSIONS)[number];

export function rank(v: VroVersion): number {
	return VRO_VERSIONS.indexOf(v);
}

export function atLeast(v: VroVersion, min: VroVersion): boolean {
	return rank(v) >= rank(min);
}

export function between(v: VroVersion, min: VroVersion, max: VroVersion): boolean {
	return rank(v) >= rank(min) && rank(v) <= rank(max);
}

/** `/v1`, `/v2` on the 9899 REST port; `/api/vN` on the 9898 web port from VAO 3.0 on (archive/vao/20/restapi/resource_urls.html, archive/vao/30/restapi/resource_urls.html). */
export function prefix(v: VroVersion): string {
	return v === 'v1' || v === 'v2' ? `/${v}` : `/api/${v}`;
}

/**
 * Token endpoints ("realms"). A token is honoured only by the API versions of the server generation that
 * issues it at that path, so a client that picks the wrong token path for its version fails here too.
 * `/token` served VAO 3.0–VDRO 5.0 (and, per a community script, VDRO 6) — archive/vao/40/restapi/authorization.html, archive/vdro/50/rest/authorization_example.html.
 * `/api/token` is documented from VRO 7; VRO 7 still serves v6 (compatibility matrix, docs/vro/rest/versioning.html).
 * Whether `/token` stays an alias on 7.x/13 is unverified: we do NOT serve it for v7+.
 */
export type Realm = 'v1' | 'v2' | 'token' | 'apiToken';

export const REALMS: Record<Realm, { path: string; versions: VroVersion[] }> = {
	v1: { path: '/v1/Accounts/Token', versions: ['v1'] },
	v2: { path: '/v2/Token', versions: ['v2'] },
	token: { path: '/token', versions: ['v3', 'v4', 'v5', 'v6'] },
	apiToken: { path: '/api/token', versions: ['v6', 'v7', 'v7.1', 'v7.2', 'v7.21', 'v13', 'v13.1'] },
};

export function realmCovers(realm: Realm, v: VroVersion): boolean {
	return REALMS[realm].versions.includes(v);
}

/** Collection envelope: bare OData arrays (v1/v2), `{total, data}` (v3 and later). */
export type Envelope = 'bare' | 'totalData';

export function envelopeOf(v: VroVersion): Envelope {
	if (v === 'v1' || v === 'v2') return 'bare';
	// `{total, data}`: documented for v3 (archive/vao/30/restapi/scopes.html) and in the 7.2.1 reference's sample answer of
	// GET /Plans (https://helpcenter.veeam.com/references/vro/7.2/rest/7.2.1/tag/Plans); v4–v6 and v13 assumed the same.
	// (One 7.21 client reads an optional `pagination` object, asachs01/modelcontextprotocol_veeam list-plans.ts, but
	// falls back when it is absent: no evidence that the server sends it, so the emulator does not.)
	return 'totalData';
}

/** OData options on v1/v2; none on v3; `start`/`limit`/`filter`/`sort` from v4 (archive/vao/40/restapi/start_query.html). */
export function pagingOf(v: VroVersion): 'odata' | 'none' | 'startLimit' {
	if (v === 'v1' || v === 'v2') return 'odata';
	return v === 'v3' ? 'none' : 'startLimit';
}

export function parseVersions(list: string | undefined): VroVersion[] {
	if (!list) return [...VRO_VERSIONS];
	const out = list.split(',').map((s) => s.trim()).filter(Boolean);
	for (const v of out) if (!(VRO_VERSIONS as readonly string[]).includes(v)) throw new Error(`unknown VRO API version ${v}`);
	return out as VroVersion[];
}
