/** What every VSA route handler gets, and the helpers they share (collections, lookups). */
import type { Clock, EmulatorRequest, EmulatorResponse, Query } from '../common/server';
import type { VsaAuth, VsaSession } from './auth';
import { clone } from './json';
import { COLLECTION_MODELS } from './models';
import { applyQuery, type Schema } from './odata';
import { idParam, notFound, okList } from './http';
import type { VsaAgent, VsaStore } from './store';

export interface EnvelopeFault {
	method?: string;
	/** Substring or RegExp source, matched case-insensitively against the path. */
	path?: string;
	/** Next N matching requests (default 1). */
	times?: number;
	/** ResponseCode inside the HTTP 200 body (e.g. 401, 500). */
	responseCode: number;
	/** `Error` text (default "None" for 401 as in http://community.kaseya.com/xsp/f/114/t/22103.aspx, else "Internal Server Error"). */
	error?: string;
	/** `Status` text (default "OK", as in the documented in-body 401). */
	status?: string;
}

export interface VsaSettings {
	/** String comparison in $filter/$orderby (default false: SQL Server's case-insensitive collation). */
	caseSensitive: boolean;
	/** New orgs answer 404 "Org does not exist" for this long after creation (KAT VSAModule/README.md, v1.6.0; default 0 = off). */
	orgPropagationMs: number;
}

export interface VsaContext {
	store: VsaStore;
	auth: VsaAuth;
	clock: Clock;
	settings: VsaSettings;
	envelopeFaults: EnvelopeFault[];
}

export interface Ctx {
	req: EmulatorRequest;
	p: Record<string, string>;
	q: Query;
	/** Present on every route except /auth and /echo. */
	session: VsaSession;
	vsa: VsaContext;
}

export interface VsaRoute {
	method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
	/** Relative to /api/v1.0. */
	path: string;
	/** false for /auth and /echo (default true). */
	auth?: boolean;
	handler: (ctx: Ctx) => EmulatorResponse;
}

/**
 * A collection answer: OData over `records`, capped page, `TotalRecords` after filter. Where the
 * collection's real model is known (models.ts), `$filter`/`$orderby` may name only its properties.
 */
export function list(ctx: Ctx, typeName: string, records: object[]): EmulatorResponse {
	const schema = modelSchema(typeName, ctx.vsa.store.schemaFor(typeName, records));
	const { page, total } = applyQuery(records, ctx.q, schema, { caseSensitive: ctx.vsa.settings.caseSensitive });
	return okList(page.map((r) => clone(r)), total);
}

export function requireAgent(ctx: Ctx, param = 'agentId'): VsaAgent {
	const id = idParam(ctx.p[param], 'agentId');
	const agent = ctx.vsa.store.agent(id);
	if (!agent) throw notFound(`Agent ${id} does not exist.`);
	return agent;
}

/** The inferred schema cut down to the model's properties; a model property the records lack is typed as text. */
export function modelSchema(typeName: string, inferred: Schema): Schema {
	const model = COLLECTION_MODELS[typeName];
	if (!model) return inferred;
	const fields: Schema['fields'] = {};
	for (const name of model.properties) fields[name] = inferred.fields[name] ?? 'Edm.String';
	return { typeName: inferred.typeName, fields };
}
