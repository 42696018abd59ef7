import { VRO_API_VERSIONS, type VroApiVersion } from '../../credentials/shared/vroVersions';
import { validateCustomPath } from '../../nodes/VeeamOrchestrator/actions';
import { routeFor, VRO_ROUTES, versionsWith } from '../../nodes/VeeamOrchestrator/endpoints';
import { decodeVroResponse, describeVroError, errorTextOf, readListPage } from '../../nodes/VeeamOrchestrator/envelope';
import { OPERATIONS, routeKeyOf } from '../../nodes/VeeamOrchestrator/operations';
import { legacyResult, phaseOf, preconditionProblem, snapshotOf, type PlanSnapshot } from '../../nodes/VeeamOrchestrator/planState';
import { VeeamOrchestrator } from '../../nodes/VeeamOrchestrator/VeeamOrchestrator.node';
import { resultOf, succeeded } from '../../nodes/VeeamOrchestrator/wait';

/** route per version as "METHOD path", or "—" where the version lacks the operation. */
function matrix(key: string): Record<string, string> {
	return Object.fromEntries(
		VRO_API_VERSIONS.map((v) => {
			const r = routeFor(key, v);
			return [v, r ? (r.local ? 'local' : `${r.method} ${r.path}`) : '—'];
		}),
	);
}

describe('per-version endpoint table', () => {
	it('maps the plan actions to FailoverPlans + Run (v1/v2) and one endpoint per action (v3+)', () => {
		expect(matrix('plan.failover')).toMatchObject({ v1: 'POST /{collection}/{planId}/Run', v2: 'POST /{collection}/{planId}/Run', v3: 'POST /Plans/{planId}/Failover', 'v13.1': 'POST /Plans/{planId}/Failover' });
		// VAO 1.0: the Swagger's required launch options always go out; v2 sends only what the user set.
		const launch = { restorePointRule: { date: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), mode: 'NearestBefore' }, executeChainedPlans: false };
		expect(routeFor('plan.failover', 'v1')!.body!({})).toEqual({ mode: 'FailoverNow', planLaunchOptions: launch });
		expect(routeFor('plan.permanentFailover', 'v2')!.body!({})).toEqual({ mode: 'PermanentFailoverNow' });
		expect(routeFor('plan.failback', 'v1')!.body!({})).toEqual({ mode: 'Failback', planLaunchOptions: launch });
		expect(routeFor('plan.commitFailback', 'v1')!.body!({})).toEqual({ mode: 'CommitFailBack', planLaunchOptions: launch });
		expect(routeFor('plan.failover', 'v1')!.body!({ actionOptions: { restorePointDate: '2026-01-31T23:00:00Z', restorePointMode: 'NearestAfter', executeChainedPlans: true } })).toEqual({
			mode: 'FailoverNow',
			planLaunchOptions: { restorePointRule: { date: '2026-01-31T23:00:00.000Z', mode: 'NearestAfter' }, executeChainedPlans: true },
		});
		expect(routeFor('plan.failback', 'v2')!.body!({ actionOptions: { recoveryLocationId: 'loc', failbackRestoreVMTags: false } })).toEqual({
			mode: 'Failback',
			planLaunchOptions: { failbackRestoreVMTags: false, recoveryLocationId: 'loc' },
		});
		expect(routeFor('plan.resetState', 'v1')!.body!({})).toEqual({ resetState: true, resetChangeLog: false, resetConfiguration: false });
		expect(routeFor('plan.continue', 'v1')!.body!({ executionContinueOptions: 'RetryFailedVm' })).toEqual({ executionContinueOptions: 'RetryFailedVm' });
		expect(matrix('plan.continue')).toMatchObject({ v1: 'POST /{collection}/{planId}/Run/Continue', v2: 'POST /{collection}/{planId}/Continue', v4: 'POST /Plans/{planId}/Continue' });
		expect(matrix('plan.unschedule')).toMatchObject({ v1: 'POST /{collection}/{planId}/Schedule/Disable', v2: 'POST /{collection}/{planId}/DisableSchedule', v5: 'DELETE /Plans/{planId}/Schedule' });
		expect(matrix('plan.scheduleAt')).toMatchObject({ v1: 'POST /{collection}/{planId}/Schedule', v3: 'PUT /Plans/{planId}/Schedule/SaveTime', v13: 'PUT /Plans/{planId}/Schedule/SaveTime', 'v13.1': '—' });
		expect(matrix('plan.scheduleAfter')).toMatchObject({ v2: 'POST /{collection}/{planId}/Schedule', v7: 'PUT /Plans/{planId}/Schedule/SaveRunAfter', 'v13.1': 'PUT /Plans/{planId}/Schedule/SaveRunAfter' });
		expect(matrix('plan.resetState')).toMatchObject({ v1: 'POST /{collection}/{planId}/Reset', v7: 'POST /Plans/{planId}/ResetState' });
	});

	it('sends v3+ schedule values as query parameters, never as a body', () => {
		for (const v of VRO_API_VERSIONS.filter((x) => x !== 'v1' && x !== 'v2')) {
			const at = routeFor('plan.scheduleAt', v);
			if (at) {
				expect(at.body).toBeUndefined();
				expect(at.query!({ startTime: '2031-05-04T22:00:00Z' })).toEqual({ startTime: '2031-05-04T22:00:00.000Z' });
			}
			const after = routeFor('plan.scheduleAfter', v)!;
			expect(after.body).toBeUndefined();
			expect(after.query!({ previousPlanId: ' 7f1c ' })).toEqual({ previousPlanId: '7f1c' });
		}
	});

	it('maps the VRO plan operations added in v5 and v13, without a body', () => {
		expect(matrix('plan.prepareFailback')).toMatchObject({ v4: '—', v5: 'POST /Plans/{planId}/PrepareToFailback', 'v13.1': 'POST /Plans/{planId}/PrepareToFailback' });
		expect(matrix('plan.switchoverToProduction')).toMatchObject({ v4: '—', v5: 'POST /Plans/{planId}/SwitchoverToProduction', 'v7.21': 'POST /Plans/{planId}/SwitchoverToProduction' });
		expect(matrix('plan.malwareScan')).toMatchObject({ 'v7.21': '—', v13: 'POST /Plans/{planId}/MalwareScan', 'v13.1': 'POST /Plans/{planId}/MalwareScan' });
		for (const key of ['plan.prepareFailback', 'plan.switchoverToProduction', 'plan.malwareScan']) expect(routeFor(key, 'v13')!.body).toBeUndefined();
		expect(versionsWith('plan.malwareScan')).toBe('v13 and later');
	});

	it('knows which versions lack an operation', () => {
		expect(matrix('plan.readinessCheck').v1).toBe('—');
		expect(matrix('plan.restore').v1).toBe('—');
		expect(matrix('plan.clone')).toMatchObject({ v4: '—', v5: 'POST /Plans/{planId}/Clone' });
		expect(matrix('runtimeDetails.get')).toMatchObject({ v2: '—', v3: 'GET /RuntimeDetails/Plans/{planId}' });
		expect(matrix('clientAccount.create')).toMatchObject({ v1: '—', v2: 'POST /Clients', 'v7.21': 'POST /Clients', v13: '—' });
		expect(matrix('licenseUsage.get')).toMatchObject({ v1: '—', v6: 'GET /Sites/{siteId}/LicenseUsage', 'v7.21': 'GET /LicenseUsage/Server', v13: 'GET /License/Usage/Server' });
		expect(matrix('session.logout')).toMatchObject({ v1: 'GET /Accounts/Logout', v2: 'local', 'v13.1': 'local' });
		expect(versionsWith('plan.readinessCheck')).toBe('v2 and later');
		expect(versionsWith('plan.failover')).toBe('every version');
		expect(versionsWith('clientAccount.create')).toBe('v2 to v7.21');
		expect(versionsWith('site.get')).toBe('v1 to v2');
	});

	it('has a route (or a deliberate refusal) for every operation of the node, and no POST is an idempotent row', () => {
		for (const op of OPERATIONS) {
			const key = routeKeyOf(op);
			if (key === null) continue;
			expect(VRO_ROUTES[key]).toBeDefined();
			expect(op.idempotent).toBeUndefined();
		}
	});
});

describe('response decoding', () => {
	it('reads the list envelope of every generation', () => {
		expect(readListPage([{ id: 'a' }, { id: 'b' }])).toEqual({ items: [{ id: 'a' }, { id: 'b' }] });
		expect(readListPage({ total: 7, data: [{ id: 'a' }] })).toEqual({ items: [{ id: 'a' }], total: 7 });
		expect(readListPage({ data: [{ id: 'a' }], pagination: { total: 250, count: 1 } })).toEqual({ items: [{ id: 'a' }], total: 250 });
		expect(readListPage(undefined)).toEqual({ items: [] });
	});

	it('decodes empty action answers, text, the v5 ResponseWrapper and HTML', () => {
		expect(decodeVroResponse(200, '')).toEqual({ ok: true, data: undefined });
		expect(decodeVroResponse(200, '"Logout successful"')).toEqual({ ok: true, data: 'Logout successful' });
		expect(decodeVroResponse(200, 'Logout successful', 'text/plain', true)).toEqual({ ok: true, data: 'Logout successful' });
		expect(decodeVroResponse(200, 'Logout successful', 'text/plain')).toMatchObject({ ok: false, notJson: true }); // only where text is expected
		expect(decodeVroResponse(200, '{"success":true,"data":{"id":"x"}}')).toEqual({ ok: true, data: { id: 'x' } });
		expect(decodeVroResponse(200, '{"success":false,"data":"Plan is locked"}')).toMatchObject({ ok: false, errorText: 'Plan is locked' });
		expect(decodeVroResponse(200, '<html><title>Orchestrator</title></html>', 'text/html')).toMatchObject({ ok: false, notJson: true });
	});

	it('quotes the server text of every known error shape, and raw text otherwise', () => {
		expect(errorTextOf({ Message: 'Plan with ID x was not found.' })).toBe('Plan with ID x was not found.');
		expect(errorTextOf({ Message: 'An error has occurred.', ExceptionMessage: 'Object reference not set' })).toBe('An error has occurred. — Object reference not set');
		expect(errorTextOf({ error: 'invalid_grant', error_description: 'expired' })).toBe('invalid_grant: expired');
		expect(errorTextOf({ errorCode: 'NotFound', message: 'No plan' })).toBe('NotFound: No plan');
		expect(decodeVroResponse(502, 'Bad gateway from proxy')).toMatchObject({ ok: false, status: 502, errorText: 'Bad gateway from proxy', notJson: true });
		expect(decodeVroResponse(400, '{"unexpected":"shape"}')).toMatchObject({ ok: false, errorText: '{"unexpected":"shape"}' });
	});

	it('explains the documented GET /api/v3/Plans breakage of VDRO 5+', () => {
		expect(describeVroError(500, 'An error has occurred.', 'GET', '/api/v3/Plans', 'v3').description).toMatch(/v4 or later/);
		expect(describeVroError(404, 'nope', 'GET', '/api/v7.21/Plans/x', 'v7.21').message).toBe('Veeam Orchestrator found nothing at GET /api/v7.21/Plans/x: nope');
	});
});

describe('plan states and preconditions', () => {
	const snap = (o: Partial<PlanSnapshot>): PlanSnapshot => ({ id: 'p1', name: 'ERP', state: 'Ready', stateName: 'Ready', phase: 'ready', enabled: true, planType: 'Replica', ...o });

	it('places documented state names and leaves unknown ones unknown', () => {
		expect(['Disabled', 'Ready', 'Running', 'FailoverComplete', 'Failover', 'FailbackComplete', 'RestoreComplete', 'Restored', 'Halted', 'FailoverInProgress', 'ReadinessCheckRunning', 'DryRun'].map(phaseOf)).toEqual([
			'disabled',
			'ready',
			'running',
			'failover',
			'failover',
			'failback',
			'restored',
			'restored',
			'halted',
			'running',
			'running',
			'unknown',
		]);
	});

	it('reads v1/v2 and v3+ plans', () => {
		expect(snapshotOf('v1', { id: 'a', name: 'A', planState: 'Disabled', planStateDetails: 'Never checked or tested' })).toMatchObject({ phase: 'disabled', enabled: false, planType: 'Replica' });
		expect(snapshotOf('v2', { id: 'a', name: 'A', planState: 'Ready', planInUse: true }, 'RestorePlans')).toMatchObject({ phase: 'running', planType: 'Restore' });
		expect(snapshotOf('v7.21', { id: 'a', name: 'A', state: 'Ready', planMode: 'Disabled', planType: 'Restore' })).toMatchObject({ phase: 'ready', enabled: false });
		expect(legacyResult('Complete, no errors, no warnings')).toBe('Success');
		expect(legacyResult('Complete with errors')).toBe('Error');
	});

	it('refuses what the reference forbids', () => {
		expect(preconditionProblem('failover', snap({ enabled: false, phase: 'disabled', state: 'Disabled', stateName: 'Disabled' }))?.message).toMatch(/Cannot failover plan "ERP": the plan is disabled|in state Disabled/);
		expect(preconditionProblem('failover', snap({ enabled: false, phase: 'ready' }))?.message).toMatch(/disabled/);
		expect(preconditionProblem('undo', snap({}))?.description).toMatch(/Failover, Failback or Halted/);
		expect(preconditionProblem('undo', snap({ planType: 'Storage', phase: 'failover', state: 'FailoverComplete' }))?.description).toMatch(/only from Halted/);
		expect(preconditionProblem('continue', snap({}))?.description).toMatch(/Only a halted plan can be continued/);
		expect(preconditionProblem('restore', snap({}))?.message).toMatch(/does not apply to Replica plans/);
		expect(preconditionProblem('failover', snap({ planType: 'Restore' }))?.description).toMatch(/Restore operation/);
		expect(preconditionProblem('readinessCheck', snap({ phase: 'running', stateName: 'Failover in progress' }))?.message).toMatch(/it is running/);
		expect(preconditionProblem('halt', snap({}))?.description).toMatch(/nothing to halt/);
	});

	it('allows what the reference allows, and never refuses on an unknown state', () => {
		expect(preconditionProblem('failover', snap({}))).toBeUndefined();
		expect(preconditionProblem('undo', snap({ phase: 'halted' }))).toBeUndefined();
		expect(preconditionProblem('continue', snap({ phase: 'halted' }))).toBeUndefined();
		expect(preconditionProblem('halt', snap({ phase: 'running' }))).toBeUndefined();
		expect(preconditionProblem('failback', snap({ phase: 'unknown', state: 'PreparedForFailback' }))).toBeUndefined();
		expect(preconditionProblem('readinessCheck', snap({ phase: 'disabled', enabled: false }))).toBeUndefined();
	});

	it('reads the result of a finished action', () => {
		expect(resultOf('readinessCheck', snap({ lastCheckResult: 'Warning' }), { currentCheckResult: 'Error' })).toBe('Error');
		expect(resultOf('failover', snap({ result: 'Success' }), { currentRunResult: 'Running' })).toBe('Success');
		expect(succeeded('failover', snap({ phase: 'halted' }), 'Error')).toBe(false);
		expect(succeeded('halt', snap({ phase: 'halted' }), 'Undefined')).toBe(true);
	});
});

describe('custom API path', () => {
	it.each([
		['/Plans', '/Plans'],
		['Plans/abc/Groups', '/Plans/abc/Groups'],
		['/Plans/my plan', '/Plans/my%20plan'],
	])('accepts %s', (input, path) => expect(validateCustomPath(input)).toEqual({ path }));

	it.each([
		['https://evil.example.com/x', /not a full URL/],
		['//evil.example.com/x', /not a full URL/],
		['/Plans?limit=1', /Query Parameters/],
		['/Plans/../token', /"\." and "\.\." segments are not allowed/],
		['/Plans/%2e%2e/x', /"\." and "\.\." segments are not allowed/],
		['/Plans/a%2Fb', /hides a path separator/],
		['/api/v7.21/Plans', /API version prefix/],
		['', /empty/],
	])('refuses %s', (input, problem) => expect((validateCustomPath(input) as { problem: string }).problem).toMatch(problem));
});

describe('node description', () => {
	const d = new VeeamOrchestrator().description;
	it('is a programmatic tool-usable node with every operation of the issue', () => {
		expect(d.name).toBe('veeamOrchestrator');
		expect(d.usableAsTool).toBe(true);
		const ops = Object.fromEntries(
			[...new Set(OPERATIONS.map((o) => o.resource))].map((r) => [r, OPERATIONS.filter((o) => o.resource === r).map((o) => o.operation)]),
		);
		expect(ops).toEqual({
			plan: ['getAll', 'get', 'getGroups', 'getVms', 'getSteps', 'enable', 'disable', 'failover', 'permanentFailover', 'failback', 'commitFailback', 'prepareFailback', 'switchoverToProduction', 'undo', 'restore', 'halt', 'continue', 'resetState', 'readinessCheck', 'malwareScan', 'schedule', 'unschedule', 'clone'],
			runtimeDetails: ['get'],
			site: ['getAll', 'get'],
			scope: ['getAll'],
			recoveryLocation: ['getAll', 'get'],
			licenseUsage: ['get'],
			clientAccount: ['create', 'getAll', 'delete'],
			session: ['logout'],
			customApi: ['request'],
		});
		expect(d.properties.filter((p) => p.name === 'requestOptions')).toHaveLength(1);
		const actions = ['failover', 'permanentFailover', 'failback', 'commitFailback', 'undo', 'restore', 'halt', 'continue', 'resetState', 'readinessCheck'];
		for (const a of actions) {
			expect(d.properties.some((p) => p.name === 'waitForCompletion' && p.displayOptions?.show?.operation?.includes(a))).toBe(true);
		}
	});

	it('every API version is named in the table', () => {
		for (const v of VRO_API_VERSIONS) expect(routeFor('plan.get', v as VroApiVersion)).toBeDefined();
	});
});

describe('readiness check precondition', () => {
	const plan = (phase: PlanSnapshot['phase']): PlanSnapshot => ({ id: '1', name: 'P', state: phase, stateName: phase, phase, planType: 'Replica', enabled: true });
	it('is sent for ready and disabled plans', () => {
		expect(preconditionProblem('readinessCheck', plan('ready'))).toBeUndefined();
		expect(preconditionProblem('readinessCheck', plan('disabled'))).toBeUndefined();
	});
	it('is refused before sending for failed-over, restored or halted plans', () => {
		for (const phase of ['failover', 'restored', 'halted'] as const) {
			expect(preconditionProblem('readinessCheck', plan(phase))?.message).toMatch(/Cannot readiness check plan "P" in state/);
		}
	});
});
