/**
 * Agents, agent notes, assets, audit, agent custom fields, logs, patch. Paths: KAT
 * VSAModule/private/VSAEndpointMaps.ps1 and public/*.ps1; record models: models.ts.
 */
import { list, requireAgent, type Ctx, type VsaRoute } from './context';
import {
	AUDIT_CATEGORIES,
	EVENT_LOGS,
	LOGS,
	SINGLE_RECORD_AUDIT,
	agentLog,
	auditCategory,
	auditSummary,
	missingPatches,
	patchHistory,
	patchStatus,
	type AuditCategory,
} from './details';
import { badRequest, boolParam, errorEnvelope, idParam, keyValueBody, noContent, notFound, ok, readBody } from './http';
import { clone, JsonNumber } from './json';
import { parseDateTime } from './odata';
import { fmtTime, type VsaCustomFieldDef } from './store';

/** The FieldType values KAT validates (VSAModule/public/New-VSACustomField.ps1); anything else is refused (no public source shows another spelling accepted). */
const FIELD_TYPES: ReadonlyArray<VsaCustomFieldDef['FieldType']> = ['string', 'number', 'datetime', 'date', 'time'];

function fieldDef(ctx: Ctx, name: string): VsaCustomFieldDef | undefined {
	return ctx.vsa.store.customFieldDefs.find((f) => f.FieldName.toLowerCase() === name.toLowerCase());
}

function validateFieldValue(def: VsaCustomFieldDef, value: string | null): void {
	if (value === null || value === '') return;
	const bad = () => badRequest(`'${value}' is not a valid ${def.FieldType} value for custom field '${def.FieldName}'.`);
	if (def.FieldType === 'number' && Number.isNaN(Number(value))) throw bad();
	if ((def.FieldType === 'date' || def.FieldType === 'datetime') && parseDateTime(value) === undefined) throw bad();
	if (def.FieldType === 'time' && !/^\d\d:\d\d(:\d\d)?$/.test(value)) throw bad();
}

function scalarText(v: unknown): string | null {
	if (v === null || v === undefined) return null;
	if (v instanceof JsonNumber) return v.raw;
	if (typeof v === 'object') throw badRequest('Value must be a string.');
	return String(v);
}

/** A log kind unknown to VSA is simply not a route. */
function noRoute(ctx: Ctx) {
	return errorEnvelope(404, `emulator has no route for ${ctx.req.method} ${ctx.req.path}`);
}

const auditCategoryRoute = (prefix: string): VsaRoute => ({
	method: 'GET',
	path: `/assetmgmt/audit/{agentId}/${prefix}{category}`,
	handler: (ctx) => {
		const cat = `${prefix}${ctx.p.category.toLowerCase()}`;
		if (!(AUDIT_CATEGORIES as readonly string[]).includes(cat)) return noRoute(ctx);
		const agent = requireAgent(ctx);
		const data = auditCategory(ctx.vsa.store, agent, cat as AuditCategory);
		if (SINGLE_RECORD_AUDIT.has(cat)) return ok(clone(data));
		return list(ctx, `Audit.${cat}`, data as object[]);
	},
});

export const assetRoutes: VsaRoute[] = [
	// -------------------------------------------------------------- agents
	{ method: 'GET', path: '/assetmgmt/agents', handler: (ctx) => list(ctx, 'Agent', ctx.vsa.store.agents) },
	{ method: 'GET', path: '/assetmgmt/agents/{agentId}', handler: (ctx) => ok(clone(requireAgent(ctx))) },
	{
		method: 'PUT',
		path: '/assetmgmt/agents/{agentId}/rename/{newName}',
		handler: (ctx) => {
			const agent = requireAgent(ctx);
			const name = ctx.p.newName.trim();
			if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(name)) throw badRequest(`'${ctx.p.newName}' is not a valid machine name.`);
			// A bare machine name keeps the agent in its group; a dotted one is taken as the full machine ID.
			agent.AgentName = name.includes('.') ? name : `${name}.${agent.MachineGroup}`;
			ctx.vsa.store.count(`agent:rename:${agent.AgentId}`);
			return ok(true);
		},
	},
	{
		method: 'DELETE',
		path: '/assetmgmt/agents/{agentId}/{uninstallFirst}',
		handler: (ctx) => {
			// KAT sends True/False; PSK Functions/Agents.ps1 appends a literal "uninstallfirst" (the two conflict): only booleans bind here.
			const uninstall = boolParam(ctx.p.uninstallFirst);
			const agent = requireAgent(ctx);
			ctx.vsa.store.removeAgent(agent.AgentId.toString());
			ctx.vsa.store.count(`agent:delete:${agent.AgentId}`);
			if (uninstall) ctx.vsa.store.count(`agent:uninstall:${agent.AgentId}`);
			return noContent();
		},
	},

	// -------------------------------------------------------------- agent notes
	{ method: 'GET', path: '/assetmgmt/agent/notes', handler: (ctx) => list(ctx, 'AgentNote', ctx.vsa.store.agentNotes) },
	{
		method: 'POST',
		path: '/assetmgmt/agent/{agentId}/note',
		handler: (ctx) => {
			const agent = requireAgent(ctx);
			// A bare JSON string, the only shape a public client sends (KAT New-VSAAgentNote.ps1); anything else is refused.
			const body = readBody(ctx.req);
			if (typeof body !== 'string') throw badRequest('The request body must be the note as a JSON string.');
			const text = body;
			if (!text) throw badRequest('Note text is required.');
			const store = ctx.vsa.store;
			store.agentNotes.push({
				Id: store.nextNoteId++,
				AgentId: agent.AgentId,
				User: ctx.session.username,
				Timestamp: fmtTime(ctx.vsa.clock.now()),
				Note: text,
			});
			store.count('note:add');
			store.count(`note:add:${agent.AgentId}`);
			return ok(true);
		},
	},
	{
		method: 'DELETE',
		path: '/assetmgmt/agent/note/{noteId}',
		handler: (ctx) => {
			const id = Number(idParam(ctx.p.noteId, 'noteId'));
			const store = ctx.vsa.store;
			if (!store.agentNotes.some((n) => n.Id === id)) throw notFound(`Note ${id} does not exist.`);
			store.agentNotes = store.agentNotes.filter((n) => n.Id !== id);
			store.count('note:delete');
			return noContent();
		},
	},

	// -------------------------------------------------------------- assets
	{ method: 'GET', path: '/assetmgmt/assets', handler: (ctx) => list(ctx, 'Asset', ctx.vsa.store.assets) },
	{
		// KAT VSAEndpointMaps.ps1 Get-VSAAssetType; records PSK KAssetType. The types are those the seeded assets use.
		method: 'GET',
		path: '/assetmgmt/assettypes',
		handler: (ctx) => {
			const types = new Map<number, string>();
			for (const a of ctx.vsa.store.assets) types.set(a.AssetTypeId, a.AssetType);
			const rows = [...types].sort((a, b) => a[0] - b[0]).map(([id, name]) => ({ AssetTypeId: id, AssetTypeName: name, ParentAssetTypeId: null, Attributes: null }));
			return list(ctx, 'AssetType', rows);
		},
	},
	{
		// One asset: KAT VSAEndpointMaps.ps1 Get-VSAAssetById (v1.4.0, checked against the live Swagger, KAT
		// CHANGELOG.md). No source shows GET /assetmgmt/assets/{id}, so the emulator has no such route.
		method: 'GET',
		path: '/assetmgmt/assets/getassetbyid/{assetId}',
		handler: (ctx) => {
			const id = BigInt(idParam(ctx.p.assetId, 'assetId'));
			const asset = ctx.vsa.store.assets.find((a) => a.AssetId === id);
			if (!asset) throw notFound(`Asset ${id} does not exist.`);
			return ok(clone(asset));
		},
	},

	// -------------------------------------------------------------- audit
	{
		method: 'GET',
		path: '/assetmgmt/audit',
		handler: (ctx) => list(ctx, 'AuditSummary', ctx.vsa.store.agents.map((a) => auditSummary(ctx.vsa.store, a))),
	},
	{ method: 'GET', path: '/assetmgmt/audit/{agentId}/summary', handler: (ctx) => ok(clone(auditSummary(ctx.vsa.store, requireAgent(ctx)))) },
	auditCategoryRoute(''),
	auditCategoryRoute('hardware/'),
	auditCategoryRoute('software/'),
	...(['baseline', 'latest', 'sysinfo'] as const).map(
		(kind): VsaRoute => ({
			method: 'PUT',
			path: `/assetmgmt/audit/${kind}/{agentId}/runnow`,
			handler: (ctx) => {
				const agent = requireAgent(ctx);
				ctx.vsa.store.count(`audit:${kind}:${agent.AgentId}`);
				return ok(true);
			},
		}),
	),

	// -------------------------------------------------------------- agent custom fields (KAT *-VSACustomField.ps1)
	{
		method: 'GET',
		path: '/assetmgmt/assets/customfields',
		handler: (ctx) => list(ctx, 'CustomField', ctx.vsa.store.customFieldDefs),
	},
	{
		method: 'POST',
		path: '/assetmgmt/assets/customfields',
		handler: (ctx) => {
			// Key/value array only: the shape KAT New-VSACustomField.ps1 sends (TT sends a form body, which
			// this JSON-only emulator does not model).
			const kv = keyValueBody(readBody(ctx.req));
			const name = scalarText(kv.get('FieldName'))?.trim();
			if (!name) throw badRequest('FieldName is required.');
			const typeText = scalarText(kv.get('FieldType'));
			if (typeText === null) throw badRequest('FieldType is required.');
			const type = FIELD_TYPES.find((t) => t === typeText);
			if (!type) throw badRequest(`FieldType must be one of ${FIELD_TYPES.join(', ')}.`);
			if (fieldDef(ctx, name)) throw badRequest(`Custom field '${name}' already exists.`);
			ctx.vsa.store.customFieldDefs.push({ FieldName: name, FieldType: type });
			ctx.vsa.store.count('customfield:create');
			return ok(true);
		},
	},
	{
		method: 'PUT',
		path: '/assetmgmt/assets/customfields/{fieldName}',
		handler: (ctx) => {
			const store = ctx.vsa.store;
			const def = fieldDef(ctx, ctx.p.fieldName);
			if (!def) throw notFound(`Custom field '${ctx.p.fieldName}' does not exist.`);
			const next = scalarText(keyValueBody(readBody(ctx.req)).get('NewFieldName'))?.trim();
			if (!next) throw badRequest('NewFieldName is required.');
			if (fieldDef(ctx, next) && fieldDef(ctx, next) !== def) throw badRequest(`Custom field '${next}' already exists.`);
			for (const values of store.customFieldValues.values()) {
				if (!values.has(def.FieldName)) continue;
				values.set(next, values.get(def.FieldName)!);
				if (next !== def.FieldName) values.delete(def.FieldName);
			}
			def.FieldName = next;
			store.count('customfield:rename');
			return ok(true);
		},
	},
	{
		method: 'DELETE',
		path: '/assetmgmt/assets/customfields/{fieldName}',
		handler: (ctx) => {
			const store = ctx.vsa.store;
			const def = fieldDef(ctx, ctx.p.fieldName);
			if (!def) throw notFound(`Custom field '${ctx.p.fieldName}' does not exist.`);
			store.customFieldDefs = store.customFieldDefs.filter((f) => f !== def);
			for (const values of store.customFieldValues.values()) values.delete(def.FieldName);
			store.count('customfield:delete');
			return noContent();
		},
	},
	{
		method: 'GET',
		path: '/assetmgmt/assets/{agentId}/customfields',
		handler: (ctx) => {
			const agent = requireAgent(ctx);
			const values = ctx.vsa.store.customFieldValues.get(agent.AgentId.toString());
			const rows = ctx.vsa.store.customFieldDefs.map((d) => ({
				AgentId: agent.AgentId,
				FieldName: d.FieldName,
				FieldType: d.FieldType,
				FieldValue: values?.get(d.FieldName) ?? null,
			}));
			return list(ctx, 'AgentCustomField', rows);
		},
	},
	{
		method: 'PUT',
		path: '/assetmgmt/assets/{agentId}/customfields/{fieldName}',
		handler: (ctx) => {
			const store = ctx.vsa.store;
			const agent = requireAgent(ctx);
			const def = fieldDef(ctx, ctx.p.fieldName);
			if (!def) throw notFound(`Custom field '${ctx.p.fieldName}' does not exist.`);
			const kv = keyValueBody(readBody(ctx.req));
			if (!kv.has('FieldValue')) throw badRequest('FieldValue is required.');
			const value = scalarText(kv.get('FieldValue'));
			validateFieldValue(def, value);
			const key = agent.AgentId.toString();
			if (!store.customFieldValues.has(key)) store.customFieldValues.set(key, new Map());
			store.customFieldValues.get(key)!.set(def.FieldName, value);
			store.count(`customfield:set:${agent.AgentId}:${def.FieldName}`);
			return ok(true);
		},
	},

	// -------------------------------------------------------------- logs (KAT VSAEndpointMaps.ps1 Get-VSA*Log)
	{
		method: 'GET',
		path: '/assetmgmt/logs/{agentId}/{log}',
		handler: (ctx) => {
			const log = ctx.p.log.toLowerCase();
			if (!(LOGS as readonly string[]).includes(log)) return noRoute(ctx);
			return list(ctx, `Log.${log}`, agentLog(ctx.vsa.store, requireAgent(ctx), log));
		},
	},
	{
		method: 'GET',
		path: '/assetmgmt/logs/{agentId}/eventlog/{kind}',
		handler: (ctx) => {
			const kind = ctx.p.kind.toLowerCase();
			if (!(EVENT_LOGS as readonly string[]).includes(kind)) return noRoute(ctx);
			return list(ctx, 'Log.eventlog', agentLog(ctx.vsa.store, requireAgent(ctx), `eventlog/${kind}`));
		},
	},

	// -------------------------------------------------------------- patch (KAT VSAEndpointMaps.ps1, Get-VSAPatchMissing.ps1, Start-VSAPatchScan.ps1)
	{ method: 'GET', path: '/assetmgmt/patch/{agentId}/status', handler: (ctx) => ok(clone(patchStatus(ctx.vsa.store, requireAgent(ctx)))) },
	{ method: 'GET', path: '/assetmgmt/patch/{agentId}/history', handler: (ctx) => list(ctx, 'PatchHistory', patchHistory(ctx.vsa.store, requireAgent(ctx))) },
	{
		method: 'GET',
		path: '/assetmgmt/patch/{agentId}/machineupdate/{hideDenied}',
		handler: (ctx) => {
			const hide = boolParam(ctx.p.hideDenied);
			const rows = missingPatches(ctx.vsa.store, requireAgent(ctx));
			return list(ctx, 'MissingPatch', hide ? rows.filter((r) => r.PatchApprovalStatus !== 'Denied') : rows);
		},
	},
	{
		method: 'PUT',
		path: '/assetmgmt/patch/{agentId}/scannow',
		handler: (ctx) => {
			const agent = requireAgent(ctx);
			const status = patchStatus(ctx.vsa.store, agent);
			if (agent.OperatingSystem === 'Windows') status.LastPatchScan = fmtTime(ctx.vsa.clock.now());
			ctx.vsa.store.count(`patch:scan:${agent.AgentId}`);
			return ok(true);
		},
	},
];
