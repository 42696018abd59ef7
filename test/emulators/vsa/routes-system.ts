/** Organizations, machine groups, users, roles, scopes, staff (KAT VSAModule/public/*-VSAOrganization.ps1, *-VSAMachineGroup.ps1, Get-VSAUser.ps1, Get-VSAScope.ps1, Get-VSAStaff.ps1). */
import { list, type Ctx, type VsaRoute } from './context';
import {
	arrayField,
	badRequest,
	idParam,
	intField,
	noContent,
	notFound,
	numberField,
	ok,
	readBody,
	requireObject,
	strField,
} from './http';
import { clone } from './json';
import type { VsaMachineGroup, VsaOrg } from './store';

/** New orgs may be invisible by id for a moment (propagation lag, KAT VSAModule/README.md v1.6.0; off unless configured). */
function requireOrg(ctx: Ctx): VsaOrg {
	const id = idParam(ctx.p.orgId, 'orgId');
	const org = ctx.vsa.store.org(id);
	const created = ctx.vsa.store.orgCreatedAt.get(id);
	const lag = ctx.vsa.settings.orgPropagationMs;
	if (!org || (created !== undefined && lag > 0 && ctx.vsa.clock.now() - created < lag)) throw notFound('Org does not exist');
	return org;
}

function requireMachineGroup(ctx: Ctx): VsaMachineGroup {
	const id = idParam(ctx.p.mgId, 'machineGroupId');
	const mg = ctx.vsa.store.machineGroup(id);
	if (!mg) throw notFound('Machine group does not exist');
	return mg;
}

/** Apply the writable org fields of a body, enforcing integer-only numeric fields (KAT VSAModule/CHANGELOG.md). */
function applyOrgBody(ctx: Ctx, org: VsaOrg, body: Record<string, unknown>): void {
	const store = ctx.vsa.store;
	const s = (name: keyof VsaOrg) => {
		const v = strField(body, name);
		if (v !== undefined) (org as unknown as Record<string, unknown>)[name] = v;
	};
	s('OrgName');
	s('OrgType');
	s('DefaultDepartmentName');
	s('DefaultMachineGroupName');
	s('Website');
	const employees = intField(body, 'NoOfEmployees');
	if (employees !== undefined) org.NoOfEmployees = Number(employees ?? 0);
	const revenue = numberField(body, 'AnnualRevenue');
	if (revenue !== undefined) org.AnnualRevenue = revenue ?? 0;
	const parent = intField(body, 'ParentOrgId', { big: true });
	if (parent !== undefined) {
		if (parent !== null && BigInt(parent) !== 0n && !store.org(BigInt(parent))) throw badRequest('Parent org does not exist');
		org.ParentOrgId = parent === null || BigInt(parent) === 0n ? null : BigInt(parent);
	}
	if (body.ContactInfo !== undefined && body.ContactInfo !== null) {
		const ci = requireObject(body.ContactInfo, 'ContactInfo');
		for (const k of Object.keys(org.ContactInfo) as Array<keyof VsaOrg['ContactInfo']>) {
			const v = strField(ci, k);
			if (v !== undefined) (org.ContactInfo as Record<string, string | null>)[k] = v;
		}
	}
	const custom = arrayField(body, 'CustomFields', 'Kaseya.OrgCustomField');
	if (custom) {
		org.CustomFields = custom.map((c) => {
			const o = requireObject(c, 'OrgCustomField');
			return { FieldName: strField(o, 'FieldName', { required: true })!, FieldValue: strField(o, 'FieldValue') ?? '' };
		});
	}
}

export const systemRoutes: VsaRoute[] = [
	// -------------------------------------------------------------- orgs
	{ method: 'GET', path: '/system/orgs', handler: (ctx) => list(ctx, 'Org', ctx.vsa.store.orgs) },
	{ method: 'GET', path: '/system/orgs/{orgId}', handler: (ctx) => ok(clone(requireOrg(ctx))) },
	{
		method: 'POST',
		path: '/system/orgs',
		handler: (ctx) => {
			const store = ctx.vsa.store;
			const body = requireObject(readBody(ctx.req), 'OrgModel');
			// The only create body shown working on a live server (KAT New-VSAOrganization.ps1) always has
			// OrgId (a placeholder: the server issues the id) and both default names; anything less is unproven.
			if (body.OrgId === undefined || body.OrgId === null || body.OrgId === '') throw badRequest('OrgId is required.');
			intField(body, 'OrgId', { big: true });
			strField(body, 'DefaultDepartmentName', { required: true });
			strField(body, 'DefaultMachineGroupName', { required: true });
			const name = strField(body, 'OrgName', { required: true })!;
			const ref = (strField(body, 'OrgRef') ?? name).toLowerCase().replace(/[^a-z0-9._-]+/g, '');
			if (store.orgs.some((o) => o.OrgRef.toLowerCase() === ref)) throw badRequest(`Org '${ref}' already exists`);
			const org: VsaOrg = {
				OrgId: store.newId(26),
				OrgName: name,
				OrgRef: ref,
				OrgType: 'Customer',
				DefaultDepartmentName: 'root',
				DefaultMachineGroupName: 'root',
				ParentOrgId: null,
				NoOfEmployees: 0,
				AnnualRevenue: 0,
				Website: null,
				ContactInfo: {
					PreferredContactMethod: 'Email',
					PrimaryPhone: '',
					PrimaryFax: null,
					PrimaryEmail: '',
					Country: '',
					Street: '',
					City: '',
					State: '',
					ZipCode: '',
					PrimaryTextMessagePhone: null,
				},
				CustomFields: [],
				Attributes: null,
			};
			applyOrgBody(ctx, org, body);
			org.OrgRef = ref;
			store.orgs.push(org);
			store.orgCreatedAt.set(org.OrgId.toString(), ctx.vsa.clock.now());
			store.machineGroups.push({
				MachineGroupId: store.newId(26),
				MachineGroupName: org.DefaultMachineGroupName || 'root',
				OrgId: org.OrgId,
				ParentMachineGroupId: null,
				Attributes: null,
			});
			store.count('org:create');
			return ok(clone(org));
		},
	},
	{
		method: 'PUT',
		path: '/system/orgs/{orgId}',
		handler: (ctx) => {
			const org = requireOrg(ctx);
			const body = requireObject(readBody(ctx.req), 'OrgModel');
			// Validate on a copy so a 400 leaves the org untouched.
			const draft = clone(org);
			applyOrgBody(ctx, draft, body);
			Object.assign(org, draft);
			ctx.vsa.store.count(`org:update:${org.OrgId}`);
			return ok(true);
		},
	},
	{
		method: 'DELETE',
		path: '/system/orgs/{orgId}',
		handler: (ctx) => {
			const store = ctx.vsa.store;
			const org = requireOrg(ctx);
			if (store.agents.some((a) => a.OrgId === org.OrgId)) throw badRequest('Org has agents; remove them before deleting the org');
			store.orgs = store.orgs.filter((o) => o !== org);
			store.machineGroups = store.machineGroups.filter((g) => g.OrgId !== org.OrgId);
			store.count(`org:delete:${org.OrgId}`);
			return noContent();
		},
	},

	// -------------------------------------------------------------- machine groups
	{ method: 'GET', path: '/system/machinegroups', handler: (ctx) => list(ctx, 'MachineGroup', ctx.vsa.store.machineGroups) },
	{ method: 'GET', path: '/system/machinegroups/{mgId}', handler: (ctx) => ok(clone(requireMachineGroup(ctx))) },
	{
		method: 'GET',
		path: '/system/orgs/{orgId}/machinegroups',
		handler: (ctx) => {
			const org = requireOrg(ctx);
			return list(ctx, 'MachineGroup', ctx.vsa.store.machineGroups.filter((g) => g.OrgId === org.OrgId));
		},
	},
	{
		method: 'POST',
		path: '/system/orgs/{orgId}/machinegroups',
		handler: (ctx) => {
			const store = ctx.vsa.store;
			const org = requireOrg(ctx);
			const body = requireObject(readBody(ctx.req), 'MachineGroupModel');
			const name = strField(body, 'MachineGroupName', { required: true })!;
			const parent = intField(body, 'ParentMachineGroupId', { big: true });
			if (parent && !store.machineGroups.some((g) => g.MachineGroupId === BigInt(parent) && g.OrgId === org.OrgId))
				throw badRequest('Parent machine group does not exist in this org');
			if (store.machineGroups.some((g) => g.OrgId === org.OrgId && g.MachineGroupName.toLowerCase() === name.toLowerCase()))
				throw badRequest(`Machine group '${name}' already exists`);
			const mg: VsaMachineGroup = {
				MachineGroupId: store.newId(26),
				MachineGroupName: name,
				OrgId: org.OrgId,
				ParentMachineGroupId: parent ? BigInt(parent) : null,
				Attributes: null,
			};
			store.machineGroups.push(mg);
			store.count('machinegroup:create');
			return ok(clone(mg));
		},
	},
	{
		method: 'PUT',
		path: '/system/machinegroups/{mgId}',
		handler: (ctx) => {
			const store = ctx.vsa.store;
			const mg = requireMachineGroup(ctx);
			const body = requireObject(readBody(ctx.req), 'MachineGroupModel');
			const name = strField(body, 'MachineGroupName', { required: true })!;
			const org = store.org(mg.OrgId)!;
			mg.MachineGroupName = name;
			// Agents carry the group's full name ("group.org") in MachineGroup and AgentName.
			for (const a of store.agents) {
				if (a.MachineGroupId !== mg.MachineGroupId) continue;
				const machine = a.AgentName.slice(0, a.AgentName.length - a.MachineGroup.length - 1);
				a.MachineGroup = `${name}.${org.OrgRef}`;
				a.AgentName = `${machine}.${a.MachineGroup}`;
			}
			store.count(`machinegroup:update:${mg.MachineGroupId}`);
			return ok(true);
		},
	},
	{
		method: 'DELETE',
		path: '/system/machinegroups/{mgId}',
		handler: (ctx) => {
			const store = ctx.vsa.store;
			const mg = requireMachineGroup(ctx);
			if (store.agents.some((a) => a.MachineGroupId === mg.MachineGroupId))
				throw badRequest('Machine group has agents; move or remove them first');
			store.machineGroups = store.machineGroups.filter((g) => g !== mg);
			store.count(`machinegroup:delete:${mg.MachineGroupId}`);
			return noContent();
		},
	},

	// -------------------------------------------------------------- users, roles, scopes, staff
	{ method: 'GET', path: '/system/users', handler: (ctx) => list(ctx, 'User', ctx.vsa.store.users) },
	{
		method: 'GET',
		path: '/system/users/{userId}',
		handler: (ctx) => {
			const id = Number(idParam(ctx.p.userId, 'userId'));
			const user = ctx.vsa.store.users.find((u) => u.UserId === id);
			if (!user) throw notFound('User does not exist');
			return ok(clone(user));
		},
	},
	{
		method: 'GET',
		path: '/system/currentUser',
		handler: (ctx) => ok(clone(ctx.vsa.store.users.find((u) => u.UserId === ctx.session.userId) ?? null)),
	},
	{ method: 'GET', path: '/system/roles', handler: (ctx) => list(ctx, 'Role', ctx.vsa.store.roles) },
	{ method: 'GET', path: '/system/scopes', handler: (ctx) => list(ctx, 'Scope', ctx.vsa.store.scopes) },
	{ method: 'GET', path: '/system/staff', handler: (ctx) => list(ctx, 'Staff', ctx.vsa.store.staff) },
];
