import { serverRoot } from './serverRoot';

/**
 * Facts about the REST API generations of Veeam Availability / Recovery Orchestrator, as pure data
 * and functions (Help Center versioning pages: docs/vro/rest/versioning.html, archive/vro/70/rest/versioning.html). The credential, the
 * transport and the node's per-version endpoint table all read them from here.
 */
export const VRO_API_VERSIONS = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v7.1', 'v7.2', 'v7.21', 'v13', 'v13.1'] as const;
export type VroApiVersion = (typeof VRO_API_VERSIONS)[number];

export const DEFAULT_VRO_API_VERSION: VroApiVersion = 'v7.21';

/** Option labels name the product release that introduced each API version (docs/vro/rest/versioning.html). */
export const VRO_VERSION_LABELS: Record<VroApiVersion, string> = {
	v1: 'v1 — Availability Orchestrator 1.0 (port 9899)',
	v2: 'v2 — Availability Orchestrator 2.0 (port 9899)',
	v3: 'v3 — Availability Orchestrator 3.0',
	v4: 'v4 — Availability Orchestrator 4.0',
	v5: 'v5 — Disaster Recovery Orchestrator 5.0',
	v6: 'v6 — Disaster Recovery Orchestrator 6.0',
	v7: 'v7 — Recovery Orchestrator 7.0',
	'v7.1': 'v7.1 — Recovery Orchestrator 7.1',
	'v7.2': 'v7.2 — Recovery Orchestrator 7.2',
	'v7.21': 'v7.21 — Recovery Orchestrator 7.2.1',
	v13: 'v13 — Recovery Orchestrator 13',
	'v13.1': 'v13.1 — Recovery Orchestrator 13.1',
};

export function isVroApiVersion(value: unknown): value is VroApiVersion {
	return typeof value === 'string' && (VRO_API_VERSIONS as readonly string[]).includes(value);
}

export function versionRank(v: VroApiVersion): number {
	return VRO_API_VERSIONS.indexOf(v);
}

/** True when `v` lies in [from, to] (to omitted = every later version). */
export function versionInRange(v: VroApiVersion, from: VroApiVersion, to?: VroApiVersion): boolean {
	const r = versionRank(v);
	return r >= versionRank(from) && (to === undefined || r <= versionRank(to));
}

/** "v3 and later", "v1 to v2", "v5" — for messages that say which versions have something. */
export function describeRange(from: VroApiVersion, to?: VroApiVersion): string {
	if (to === undefined || to === VRO_API_VERSIONS[VRO_API_VERSIONS.length - 1]) {
		return from === 'v1' ? 'every version' : `${from} and later`;
	}
	return from === to ? from : `${from} to ${to}`;
}

/** VAO 1.0/2.0 serve `/v1`, `/v2` on the REST port 9899; VAO 3.0 and later `/api/vN` on 9898 (archive/vao/20/restapi/resource_urls.html, archive/vao/30/restapi/resource_urls.html). */
export function isLegacyVersion(v: VroApiVersion): v is 'v1' | 'v2' {
	return v === 'v1' || v === 'v2';
}

/** Path of the API base under the server root. */
export function vroApiBasePath(v: VroApiVersion): string {
	return isLegacyVersion(v) ? `/${v}` : `/api/${v}`;
}

/**
 * Token path per generation (evidence table rows "credential login"): `/v1/Accounts/Token` (VAO 1.0), `/v2/Token` (VAO 2.0), `/token`
 * (VAO 3.0 to VDRO 5.0; a VRO 6 script uses it too), `/api/token` (documented from VRO 7).
 */
export function vroTokenPath(v: VroApiVersion): string {
	if (v === 'v1') return '/v1/Accounts/Token';
	if (v === 'v2') return '/v2/Token';
	return versionRank(v) <= versionRank('v6') ? '/token' : '/api/token';
}

/** Client accounts (`client_credentials`) exist from VAO 2.0 (archive/vao/20/restapi/authorization.html). */
export function supportsClientCredentials(v: VroApiVersion): boolean {
	return v !== 'v1';
}

/** The usual REST port of a generation, for advice in error messages. */
export function usualPort(v: VroApiVersion): number {
	return isLegacyVersion(v) ? 9899 : 9898;
}

/** Roles that may use the REST API, named as that release's documentation names them (each version's authorization.html). */
export function requiredRoles(v: VroApiVersion): string {
	if (v === 'v1') return 'Site Administrator or Failover Plan Author';
	if (v === 'v2') return 'VAO Administrator or Plan Author';
	if (versionRank(v) <= versionRank('v6')) return 'Orchestrator Administrator or Plan Author';
	return 'Orchestrator Administrator, Plan Author or Plan Operator';
}

/** `DOMAIN\USERNAME` is required up to VDRO 6; VRO 7 and later also accept a plain user name (archive/vao/40/restapi/authorization.html, docs/vro/rest/authorization.html). */
export function requiresDomainUser(v: VroApiVersion): boolean {
	return versionRank(v) <= versionRank('v6');
}

/**
 * Collection paging per generation (query_options.html of each version): OData `$top`/`$skip` over bare arrays (v1, v2);
 * `{total, data}` without paging parameters (v3); `start`/`limit` (v4 and later).
 */
export type VroPagingStyle = 'odata' | 'unpaged' | 'startLimit';

export function vroPagingStyle(v: VroApiVersion): VroPagingStyle {
	if (isLegacyVersion(v)) return 'odata';
	return v === 'v3' ? 'unpaged' : 'startLimit';
}

/**
 * The server root: scheme, host and port, tolerating a trailing slash and a pasted API base or
 * token path (`/api/v7.21`, `/v1`, `/api`, `/api/token`, `/token`).
 */
export function vroServerRoot(baseUrl: unknown): string {
	return serverRoot(baseUrl, VRO_API_SUFFIX);
}

export const VRO_API_SUFFIX = /\/(api\/v\d+(\.\d+)?|api\/token|api|v[12](\/accounts\/token|\/token)?|token|swagger(\/ui(\/index)?)?)$/i;
