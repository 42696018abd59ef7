import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { toNodeError } from '../../shared/errors';
import type { CustomApiRules } from '../../shared/customApi';
import { customApiBodyOf, customApiHandler, customApiPathUnder, customApiQuery } from '../../shared/customApi';
import { andFilters, odataField, odataId } from '../../shared/odata';
import { fillPath } from '../../shared/url';
import { listQuery } from '../query';
import { toItems, vsaList, vsaRequest, VSA_PAGE_SIZE, VSA_PROFILE } from '../transport';
import type { InputCheck } from '../validate';
import type { VsaHandlerContext, VsaOperation } from './types';

/**
 * The few operations that need logic beyond one request. Everything else is a table row run by the
 * router.
 */

// ---------------------------------------------------------------- agent procedure: run now

/** A 404/405 that means "this server has no such endpoint" (ASP.NET Web API's own texts), not "no such procedure". */
const MISSING_ROUTE = /No HTTP resource was found|no route for|does not support http method/i;

export function isMissingEndpoint(error: unknown): boolean {
	if (!(error instanceof NodeApiError)) return false;
	if (error.httpCode !== '404' && error.httpCode !== '405') return false;
	return MISSING_ROUTE.test(`${error.message} ${error.description ?? ''}`);
}

/** An execution id out of runnowgetid's Result (a bare number, or an object carrying one). */
export function executionIdOf(result: unknown): string | undefined {
	if (typeof result === 'number' || (typeof result === 'string' && /^\d+$/.test(result))) return String(result);
	if (result && typeof result === 'object' && !Array.isArray(result)) {
		for (const [key, value] of Object.entries(result as IDataObject)) {
			if (/id$/i.test(key) && (typeof value === 'number' || typeof value === 'string')) return String(value);
		}
	}
	return undefined;
}

/**
 * Run now. `runnowgetid` answers with the execution id and is sent with a `{}` body, as KAT
 * VSAModule/public/Start-VSAAPReturnId.ps1 does; a server without that endpoint gets the plain
 * `runnow` with no body (KAT public/Start-VSAAP.ps1, TT VSA.py RunNow). A run is never repeated
 * automatically: if the connection breaks after sending, the error says the procedure may have started.
 */
export async function runProcedure(ctx: VsaHandlerContext, values: IDataObject, itemIndex: number): Promise<IDataObject> {
	const ids = { agentId: values.agentId, procedureId: values.procedureId };
	const base = fillPath('/automation/agentprocs/{agentId}/{procedureId}', ids);
	const out = (executionId: string | undefined): IDataObject => ({
		success: true,
		action: 'started',
		agentId: values.agentId,
		procedureId: values.procedureId,
		executionId: executionId ?? null,
	});
	let result: unknown;
	try {
		({ result } = await vsaRequest(ctx.fn, { method: 'PUT', path: `${base}/runnowgetid`, body: {}, idempotent: false, itemIndex }, ctx.options));
	} catch (error) {
		if (!isMissingEndpoint(error)) throw toNodeError(ctx.fn.getNode(), error, itemIndex);
		await vsaRequest(ctx.fn, { method: 'PUT', path: `${base}/runnow`, idempotent: false, itemIndex }, ctx.options);
		return out(undefined);
	}
	return out(executionIdOf(result));
}

// ---------------------------------------------------------------- alarms

/**
 * All alarms page like any list. "Only new" is different: VSA marks alarms as seen per session on
 * every `alarms/false` request (KAT VSAModule/public/Get-VSAAlarm.ps1), so its pages cannot be fetched one by one. The
 * first page is read from `alarms/false` in AlarmId order; what it could not hold is read from
 * `alarms/true` as "AlarmId after the last one", limited to the count VSA reported as new.
 */
export async function getAlarms(ctx: VsaHandlerContext, values: IDataObject, itemIndex: number): Promise<IDataObject[]> {
	const query = listQuery(ctx.op, values, ctx.check);
	const key = 'AlarmId';
	if (values.alarmSet !== 'false') {
		return await vsaList(ctx.fn, '/assetmgmt/alarms/true', { ...query, itemIndex, key }, ctx.options);
	}
	const wanted = query.limit ?? Number.POSITIVE_INFINITY;
	const orderby = `${odataField(key)} asc`;
	const qs: IDataObject = { $top: Math.min(VSA_PAGE_SIZE, wanted), $orderby: orderby };
	if (query.filter) qs.$filter = query.filter;
	const first = await vsaRequest(ctx.fn, { method: 'GET', path: '/assetmgmt/alarms/false', qs, itemIndex }, ctx.options);
	const items = toItems(first.result);
	const target = Math.min(first.total ?? items.length, wanted);
	if (items.length === 0 || items.length >= target) return items.slice(0, target);
	const last = items[items.length - 1][key];
	const rest = await vsaList(
		ctx.fn,
		'/assetmgmt/alarms/true',
		{ filter: andFilters([query.filter, `${odataField(key)} gt ${odataId(last)}`]), orderby, limit: target - items.length, itemIndex, key },
		ctx.options,
	);
	return [...items, ...rest];
}

// ---------------------------------------------------------------- audit

export const SINGLE_RECORD_AUDIT_CATEGORIES = ['summary', 'hardware/purchaseandwarrantyexpire'];

export async function getAudit(ctx: VsaHandlerContext, values: IDataObject, itemIndex: number): Promise<IDataObject[]> {
	const category = String(values.category);
	const path = `${fillPath('/assetmgmt/audit/{agentId}', { agentId: values.agentId })}/${category}`;
	if (SINGLE_RECORD_AUDIT_CATEGORIES.includes(category)) {
		const { result } = await vsaRequest(ctx.fn, { method: 'GET', path, itemIndex }, ctx.options);
		return toItems(result);
	}
	const { limit } = listQuery(ctx.op, values, ctx.check);
	return await vsaList(ctx.fn, path, { limit, itemIndex }, ctx.options);
}

// ---------------------------------------------------------------- custom API request

/** Custom requests through the shared handler (nodes/shared/customApi.ts): paths under /api/v1.0, OData paging. */
const VSA_CUSTOM_API: CustomApiRules = { profile: VSA_PROFILE, basePath: '/api/v1.0', example: '/assetmgmt/agents or /system/orgs/123/departments', pagingParams: ['$top', '$skip'] };

/** A path under /api/v1.0 from user input (rules in shared/customApi.ts); a pasted /api/v1.0 is dropped. */
export function customApiPath(check: InputCheck, raw: unknown): string {
	return customApiPathUnder(check, raw, VSA_CUSTOM_API);
}

export { customApiBodyOf as customApiBody, customApiQuery };

export const customApiRequest = customApiHandler<VsaOperation>(VSA_CUSTOM_API);
