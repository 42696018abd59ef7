import type { IDataObject } from 'n8n-workflow';

import { isLegacyVersion } from '../../credentials/shared/vroVersions';
import type { CallOptions } from '../shared/descriptions';
import { apiError, operationError } from '../shared/errors';
import type { RequestContext } from '../shared/http';
import { andFilters } from '../shared/odata';
import { fillPath } from '../shared/url';
import type { LegacyCollection, VroRoute } from './endpoints';
import { LEGACY_COLLECTIONS, routeFor } from './endpoints';
import type { PlanSnapshot } from './planState';
import { snapshotOf } from './planState';
import type { VroConnection } from './transport';
import { vroError, vroList, vroRequest, vroSend } from './transport';

/** What every handler gets: the execution context, the connection and the request options. */
export interface VroContext {
	ctx: RequestContext;
	conn: VroConnection;
	options: CallOptions;
}

export interface ResolvedPlan {
	plan: IDataObject;
	snapshot: PlanSnapshot;
	/** v1/v2 collection the plan lives in. */
	collection?: LegacyCollection;
}

/** Route path with `{collection}` and the named values filled in (each value encoded as one segment). */
export function routePath(route: VroRoute, values: Record<string, unknown>, collection?: LegacyCollection): string {
	return fillPath(route.path.replace('{collection}', collection ?? 'FailoverPlans'), values);
}

/**
 * GETs a plan. VAO 2.0 keeps failover and restore plans in two collections, so an ID not found among
 * failover plans is looked up among restore plans (https://helpcenter.veeam.com/archive/vao/20/restapi/restoreplans.html).
 */
export async function resolvePlan(vc: VroContext, planId: string, itemIndex: number, known?: LegacyCollection): Promise<ResolvedPlan> {
	const { conn } = vc;
	if (!planId) throw operationError(vc.ctx.getNode(), 'No plan given', 'Choose a plan from the list or enter its ID.', itemIndex);
	if (!isLegacyVersion(conn.version)) {
		const path = fillPath('/Plans/{planId}', { planId });
		const plan = requirePlanObject(vc, await vroRequest(vc.ctx, { method: 'GET', path, itemIndex }, vc.options), path, itemIndex);
		return { plan, snapshot: snapshotOf(conn.version, plan) };
	}
	const collections = known ? [known] : LEGACY_COLLECTIONS[conn.version];
	for (let i = 0; i < collections.length; i++) {
		const collection = collections[i];
		const call = { method: 'GET' as const, path: fillPath(`/${collection}/{planId}`, { planId }), itemIndex };
		const decoded = await vroSend(vc.ctx, call, vc.options);
		if (decoded.ok) {
			const plan = requirePlanObject(vc, decoded.data, call.path, itemIndex);
			return { plan, snapshot: snapshotOf(conn.version, plan, collection), collection };
		}
		if (decoded.status !== 404 || i === collections.length - 1) throw await vroError(vc.ctx, call, decoded);
	}
	throw operationError(vc.ctx.getNode(), `Plan ${planId} was not found`, 'Check the plan ID.', itemIndex);
}

/** A plan GET must answer a plan object; anything else (null, `{"success":true}` without data, a list) is reported, not read. */
function requirePlanObject(vc: VroContext, data: unknown, path: string, itemIndex: number): IDataObject {
	if (data && typeof data === 'object' && !Array.isArray(data)) return data as IDataObject;
	throw apiError(vc.ctx.getNode(), {
		message: `Veeam Orchestrator answered GET ${path} without a plan`,
		description: 'The server answered with no plan object. Check the plan ID, and the Server URL and API version in the credential; if they are right, the server may be faulty.',
		serverText: data === undefined ? undefined : JSON.stringify(data),
		itemIndex,
	});
}

export interface PlanListFilters {
	onlyEnabled?: boolean;
	odataFilter?: string;
	odataOrderBy?: string;
	filter?: string;
	sort?: string;
}

function jsonArrayParam(vc: VroContext, name: string, raw: string, itemIndex: number): string {
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		parsed = undefined;
	}
	if (!Array.isArray(parsed)) {
		throw operationError(
			vc.ctx.getNode(),
			`${name} must be a JSON array`,
			name === 'Filter (JSON)'
				? 'Example: [{"property":"planType","operator":"==","value":"Restore"}]. Operators include ==, !=, >, < and in.'
				: 'Example: [{"property":"name","direction":"ASC"}]',
			itemIndex,
		);
	}
	return JSON.stringify(parsed);
}

/** Query parameters of a plan list per generation, refusing options the version does not have. */
export function planListQuery(vc: VroContext, filters: PlanListFilters, itemIndex: number): IDataObject {
	const v = vc.conn.version;
	const node = vc.ctx.getNode();
	const qs: IDataObject = {};
	const odataFilter = filters.odataFilter?.trim();
	const odataOrderBy = filters.odataOrderBy?.trim();
	const filter = filters.filter?.trim();
	const sort = filters.sort?.trim();
	if (isLegacyVersion(v)) {
		if (filter || sort) {
			throw operationError(node, `Filter (JSON) and Sort (JSON) need API v4 or later; this credential uses ${v}`, 'On v1/v2 use "OData Filter" and "OData Order By" instead.', itemIndex);
		}
		// Disabled plans report planState "Disabled" on VAO 1.0/2.0 (PV Swagger_VAO-APIv1.json FailoverPlans.planState; archive/vao/20/restapi/failoverplans.html).
		const f = andFilters([filters.onlyEnabled ? "planState ne 'Disabled'" : undefined, odataFilter]);
		if (f) qs.$filter = f;
		if (odataOrderBy) qs.$orderby = odataOrderBy;
		return qs;
	}
	if (odataFilter || odataOrderBy) {
		throw operationError(node, `OData options exist only on API v1/v2; this credential uses ${v}`, 'From v4 on use "Filter (JSON)" and "Sort (JSON)".', itemIndex);
	}
	if (v === 'v3' && (filter || sort)) {
		throw operationError(node, 'API v3 lists plans without filter or sort parameters', 'Filter (JSON) and Sort (JSON) exist from API v4 (VAO 4.0). Use "Only Enabled Plans", or filter the output in n8n.', itemIndex);
	}
	if (filters.onlyEnabled) qs.onlyEnabled = true;
	if (filter) qs.filter = jsonArrayParam(vc, 'Filter (JSON)', filter, itemIndex);
	if (sort) qs.sort = jsonArrayParam(vc, 'Sort (JSON)', sort, itemIndex);
	return qs;
}

/** Every plan (or up to `limit`): v1/v2 read each plan collection in turn, v3+ the one Plans collection. */
export async function listPlans(vc: VroContext, qs: IDataObject, limit: number | undefined, itemIndex: number): Promise<IDataObject[]> {
	const v = vc.conn.version;
	if (!isLegacyVersion(v)) return vroList(vc.ctx, routeFor('plan.getAll', v)!.path, { qs, limit, itemIndex }, vc.options);
	const out: IDataObject[] = [];
	for (const collection of LEGACY_COLLECTIONS[v]) {
		const remaining = limit === undefined ? undefined : limit - out.length;
		if (remaining !== undefined && remaining <= 0) break;
		out.push(...(await vroList(vc.ctx, `/${collection}`, { qs, limit: remaining, itemIndex }, vc.options)));
	}
	return out;
}
