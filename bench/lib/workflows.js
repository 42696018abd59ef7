'use strict';
/**
 * Credentials and workflows of the benchmark (plain JSON for `n8n import:*`). Every workflow starts
 * with a Manual Trigger (for `n8n execute --id`) or a Webhook (scenario 3, one `n8n start`).
 *
 * "Ours" = this package's nodes; "HTTP" = n8n's own HTTP Request node (n8n-nodes-base.httpRequest,
 * typeVersion 4.2 = the shape of every version since 4.2; 2.41 adds only cosmetic 4.3–4.5 changes)
 * in the best configuration a skilled user would set for the same job.
 */
const { DEMO_LOGINS } = require('../../scripts/lib/emulators');

const PKG = 'n8n-nodes-kaseya-veeam';
const HTTP_TYPE = 'n8n-nodes-base.httpRequest';
const HTTP_VERSION = 4.2;
const VSA_PAGE = 100;
const VRO_VERSION = 'v7.21';

/** Fixed credential ids (16 characters). Separate credentials per approach, so token state is never shared. */
const BENCH_CRED = {
	vsaOurs: { id: 'benchVsaOurs0001', name: 'bench VSA PAT (ours)', type: 'kaseyaVsaApi' },
	vsaHttp: { id: 'benchVsaHttp0001', name: 'bench VSA PAT (HTTP Request, predefined)', type: 'kaseyaVsaApi' },
	vroOurs: { id: 'benchVroOurs0001', name: 'bench VRO v7.21 (ours)', type: 'veeamOrchestratorApi' },
	// Scenario 3: fresh credentials, so the login count starts from an empty token.
	s3Ours: { id: 'benchS3Ours00001', name: 'bench S3 VSA PAT (ours)', type: 'kaseyaVsaApi' },
	s3Pred: { id: 'benchS3Pred00001', name: 'bench S3 VSA PAT (HTTP Request, predefined)', type: 'kaseyaVsaApi' },
	s3Basic: { id: 'benchS3Basic0001', name: 'bench S3 VSA PAT as Basic Auth (HTTP Request login)', type: 'httpBasicAuth' },
};

function benchCredentials({ vsaUrl, vroUrl }) {
	const v = DEMO_LOGINS.vsa;
	const o = DEMO_LOGINS.vro;
	const vsa = { baseUrl: vsaUrl, allowUnauthorizedCerts: false, sessionToken: '', authMethod: 'personalAccessToken', username: v.patUser, personalAccessToken: v.pat };
	const vro = { baseUrl: vroUrl, allowUnauthorizedCerts: false, accessToken: '', refreshToken: '', apiVersion: VRO_VERSION, authMethod: 'password', username: o.username, password: o.password };
	return [
		{ ...BENCH_CRED.vsaOurs, data: { ...vsa } },
		{ ...BENCH_CRED.vsaHttp, data: { ...vsa } },
		{ ...BENCH_CRED.vroOurs, data: { ...vro } },
		{ ...BENCH_CRED.s3Ours, data: { ...vsa } },
		{ ...BENCH_CRED.s3Pred, data: { ...vsa } },
		{ ...BENCH_CRED.s3Basic, data: { user: v.patUser, password: v.pat } },
	];
}

const credRef = (c) => ({ [c.type]: { id: c.id, name: c.name } });

const manual = () => ({ id: 'manual', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} });

/** A linear workflow: Manual Trigger → nodes[0] → nodes[1] → … */
function chain(id, name, nodes, { trigger = manual() } = {}) {
	const all = [trigger, ...nodes];
	const connections = {};
	all.forEach((n, i) => {
		n.position = n.position || [240 * i, 0];
		if (!n.id) n.id = `n${i}`;
		if (i > 0) connections[all[i - 1].name] = { main: [[{ node: n.name, type: 'main', index: 0 }]] };
	});
	return { id, name, active: false, nodes: all, connections, settings: { executionOrder: 'v1' } };
}


/**
 * Webhook branches, all in ONE workflow (one publish, one n8n start): each branch is a Webhook
 * (GET /webhook/<path>, answers when the last node is done) followed by its nodes. `timed` names the
 * nodes whose n8n executionTime is the measurement; `connections` overrides the linear chain (loops).
 */
function webhookWorkflow(id, name, branches) {
	const nodes = [];
	const connections = {};
	branches.forEach((b, bi) => {
		const hook = {
			id: `hook-${b.path}`, name: hookName(b.path), type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 300 * bi],
			webhookId: `0be0c000-0000-4000-8000-${String(bi + 1).padStart(12, '0')}`,
			parameters: { httpMethod: 'GET', path: b.path, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
		};
		const all = [hook, ...b.nodes];
		all.forEach((n, i) => {
			n.position = n.position || [240 * i, 300 * bi];
			if (!n.id) n.id = `${b.path}-${i}`;
			if (i > 0 && !b.connections) connections[all[i - 1].name] = { main: [[{ node: n.name, type: 'main', index: 0 }]] };
		});
		if (b.connections) {
			connections[hook.name] = { main: [[{ node: b.nodes[0].name, type: 'main', index: 0 }]] };
			Object.assign(connections, b.connections);
		}
		nodes.push(...all);
	});
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}

const hookName = (p) => `Webhook ${p}`;

// ------------------------------------------------------------------------------------------------
// Scenario 1: Return All of the VSA agents
// ------------------------------------------------------------------------------------------------
/** `concurrency` undefined: the node's own default (no Request Options set, as a user leaves it). */
function oursAgentsNode(name, concurrency, cred = BENCH_CRED.vsaOurs) {
	return {
		name, type: `${PKG}.kaseyaVsa`, typeVersion: 1,
		parameters: { resource: 'agent', operation: 'getAll', returnAll: true, ...(concurrency === undefined ? {} : { requestOptions: { concurrency } }) },
		credentials: credRef(cred),
	};
}

/**
 * The HTTP Request node's best Return All over VSA's OData paging: $top=100 in the query, built-in
 * pagination updating $skip = pages fetched × 100, complete when a page is short or the records read
 * reach TotalRecords (so no extra empty request), the kaseyaVsaApi credential as predefined type.
 * Its output is one item per page ({Result: [100 agents], TotalRecords, …}); Split Out on Result then
 * gives one item per agent, as our node does.
 */
function httpAgentsNode(name, vsaUrl, cred = BENCH_CRED.vsaHttp) {
	return {
		name, type: HTTP_TYPE, typeVersion: HTTP_VERSION,
		parameters: {
			method: 'GET',
			url: `${vsaUrl}/api/v1.0/assetmgmt/agents`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: cred.type,
			sendQuery: true,
			queryParameters: { parameters: [{ name: '$top', value: String(VSA_PAGE) }] },
			options: {
				pagination: {
					pagination: {
						paginationMode: 'updateAParameterInEachRequest',
						parameters: { parameters: [{ type: 'qs', name: '$skip', value: `={{ $pageCount * ${VSA_PAGE} }}` }] },
						paginationCompleteWhen: 'other',
						completeExpression: `={{ $response.body.Result.length < ${VSA_PAGE} || $pageCount * ${VSA_PAGE} >= $response.body.TotalRecords }}`,
						limitPagesFetched: false,
						requestInterval: 0,
					},
				},
			},
		},
		credentials: credRef(cred),
	};
}

function splitOutNode(name, field) {
	return { name, type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: field, include: 'noOtherFields', options: {} } };
}

/** Our concurrencies in the sweep: these, plus the package default (whose node sets no Concurrency at all). */
const S1_SWEEP_CONCURRENCIES = [1, 2, 5, 10];
const s1Concurrencies = (defaultConcurrency) => [...new Set([...S1_SWEEP_CONCURRENCIES, defaultConcurrency])].sort((a, b) => a - b);

/** S1 branches: our node at each concurrency (the default one without Request Options), and HTTP Request pagination + Split Out. */
function s1Branches(vsaUrl, defaultConcurrency) {
	const out = s1Concurrencies(defaultConcurrency).map((c) => ({
		key: `s1-ours-c${c}`, path: `bench-s1-ours-c${c}`,
		nodes: [oursAgentsNode(`S1 ours c=${c}`, c === defaultConcurrency ? undefined : c)], timed: [`S1 ours c=${c}`],
	}));
	out.push({
		key: 's1-http', path: 'bench-s1-http',
		nodes: [httpAgentsNode('S1 HTTP Request', vsaUrl), splitOutNode('S1 Split Out', 'Result')],
		timed: ['S1 HTTP Request'], window: ['S1 HTTP Request', 'S1 Split Out'],
	});
	return out;
}

/** Manual Trigger versions of the two default S1 jobs, for `n8n execute` (one process per run: clean memory). */
function s1ExecuteWorkflows(vsaUrl, defaultConcurrency) {
	return {
		ours: chain('benchS1Ours00001', 'bench S1: ours, agent getAll Return All (execute)', [oursAgentsNode(`S1 ours c=${defaultConcurrency}`, undefined)]),
		http: chain('benchS1Http00001', 'bench S1: HTTP Request pagination + Split Out (execute)', [httpAgentsNode('S1 HTTP Request', vsaUrl), splitOutNode('S1 Split Out', 'Result')]),
	};
}

// ------------------------------------------------------------------------------------------------
// Scenario 2: per-item writes (close alarms with a note)
// ------------------------------------------------------------------------------------------------
const NOTE = 'Closed by the nightly clean-up (bench)';

/** Set (raw JSON with the ids) → Split Out: one item per alarm id, without a Code node. */
function alarmItemNodes(prefix, ids) {
	return [
		{ name: `${prefix} alarm IDs`, type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { mode: 'raw', jsonOutput: JSON.stringify({ alarmIds: ids.map(String) }), options: {} } },
		splitOutNode(`${prefix} one item per alarm`, 'alarmIds'),
	];
}

function oursCloseNode(name, concurrency) {
	const parameters = { resource: 'alarm', operation: 'close', alarmId: '={{ $json.alarmIds }}', notes: NOTE };
	if (concurrency) parameters.requestOptions = { concurrency };
	return { name, type: `${PKG}.kaseyaVsa`, typeVersion: 1, parameters, credentials: credRef(BENCH_CRED.vsaOurs) };
}

/** PUT …/alarms/{id}/close with VSA's key/value body, kaseyaVsaApi as predefined credential; `batching` optional. */
function httpCloseNode(name, vsaUrl, batching) {
	const options = {};
	if (batching) options.batching = { batch: { batchSize: batching.size, batchInterval: batching.intervalMs } };
	return {
		name, type: HTTP_TYPE, typeVersion: HTTP_VERSION,
		parameters: {
			method: 'PUT',
			url: `=${vsaUrl}/api/v1.0/assetmgmt/alarms/{{ $json.alarmIds }}/close`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'kaseyaVsaApi',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: JSON.stringify([{ key: 'notes', value: NOTE }]),
			options,
		},
		credentials: credRef(BENCH_CRED.vsaHttp),
	};
}

/**
 * @param {string[]} ids  alarm ids (the bench re-opens them before every run)
 * @param {Array<{key: string, label: string, size: number, intervalMs: number}>} batchings
 * @param {number[]} extraConcurrencies  our node at other concurrency settings (information)
 */
function s2Branches(vsaUrl, ids, batchings, extraConcurrencies = []) {
	const branch = (key, label, writeNode) => ({
		key, path: `bench-${key}`, label,
		nodes: [...alarmItemNodes(label, ids), writeNode], timed: [writeNode.name],
	});
	const out = [
		branch('s2-ours', 'S2 ours', oursCloseNode('S2 ours close', undefined)),
		branch('s2-http-default', 'S2 HTTP default', httpCloseNode('S2 HTTP default close', vsaUrl, null)),
	];
	for (const b of batchings) out.push(branch(`s2-http-${b.key}`, `S2 HTTP ${b.key}`, httpCloseNode(`S2 HTTP ${b.key} close`, vsaUrl, b)));
	for (const c of extraConcurrencies) out.push(branch(`s2-ours-c${c}`, `S2 ours c=${c}`, oursCloseNode(`S2 ours c=${c} close`, c)));
	return out;
}

// ------------------------------------------------------------------------------------------------
// Scenario 3: authentication cost over many executions
// ------------------------------------------------------------------------------------------------
function s3Branches(vsaUrl) {
	const url = `${vsaUrl}/api/v1.0/assetmgmt/agents`;
	return [
		{
			key: 's3-ours', path: 'bench-s3-ours', timed: ['S3 ours: get 1 agent'],
			nodes: [{ name: 'S3 ours: get 1 agent', type: `${PKG}.kaseyaVsa`, typeVersion: 1, parameters: { resource: 'agent', operation: 'getAll', returnAll: false, limit: 1 }, credentials: credRef(BENCH_CRED.s3Ours) }],
		},
		{
			key: 's3-http-predefined', path: 'bench-s3-http-predefined', timed: ['S3 HTTP: get 1 agent (predefined credential)'],
			nodes: [{
				name: 'S3 HTTP: get 1 agent (predefined credential)', type: HTTP_TYPE, typeVersion: HTTP_VERSION,
				parameters: { method: 'GET', url, authentication: 'predefinedCredentialType', nodeCredentialType: 'kaseyaVsaApi', sendQuery: true, queryParameters: { parameters: [{ name: '$top', value: '1' }] }, options: {} },
				credentials: credRef(BENCH_CRED.s3Pred),
			}],
		},
		{
			// Without this package: GET /auth with Basic username:PAT (n8n's Basic Auth credential), then the call with the token.
			key: 's3-http-login', path: 'bench-s3-http-login', timed: ['S3 HTTP: VSA login', 'S3 HTTP: get 1 agent (Bearer)'],
			nodes: [
				{
					name: 'S3 HTTP: VSA login', type: HTTP_TYPE, typeVersion: HTTP_VERSION,
					parameters: { method: 'GET', url: `${vsaUrl}/api/v1.0/auth`, authentication: 'genericCredentialType', genericAuthType: 'httpBasicAuth', options: {} },
					credentials: credRef(BENCH_CRED.s3Basic),
				},
				{
					name: 'S3 HTTP: get 1 agent (Bearer)', type: HTTP_TYPE, typeVersion: HTTP_VERSION,
					parameters: {
						method: 'GET', url, sendQuery: true, queryParameters: { parameters: [{ name: '$top', value: '1' }] },
						sendHeaders: true, headerParameters: { parameters: [{ name: 'Authorization', value: '=Bearer {{ $json.Result.Token }}' }] }, options: {},
					},
				},
			],
		},
	];
}

// ------------------------------------------------------------------------------------------------
// Scenario 4: Veeam Orchestrator (v7.21)
// ------------------------------------------------------------------------------------------------
/** HTTP Request token call (OAuth2 password grant as a form body), as a user without this package builds it. */
function vroTokenNode(name, vroUrl) {
	const o = DEMO_LOGINS.vro;
	return {
		name, type: HTTP_TYPE, typeVersion: HTTP_VERSION,
		parameters: {
			method: 'POST', url: `${vroUrl}/api/token`, sendBody: true, contentType: 'form-urlencoded',
			bodyParameters: { parameters: [{ name: 'grant_type', value: 'password' }, { name: 'username', value: o.username }, { name: 'password', value: o.password }] },
			options: {},
		},
	};
}

const bearerFrom = (tokenNode) => ({ sendHeaders: true, headerParameters: { parameters: [{ name: 'Authorization', value: `=Bearer {{ $('${tokenNode}').first().json.access_token }}` }] } });

function s4Branches(vroUrl, planId, pollSeconds) {
	const base = `${vroUrl}/api/${VRO_VERSION}`;
	const planPages = {
		name: 'S4 HTTP plans (pagination)', type: HTTP_TYPE, typeVersion: HTTP_VERSION,
		parameters: {
			method: 'GET', url: `${base}/Plans`,
			sendQuery: true, queryParameters: { parameters: [{ name: 'limit', value: '100' }] },
			...bearerFrom('S4 HTTP token (plans)'),
			options: {
				pagination: {
					pagination: {
						paginationMode: 'updateAParameterInEachRequest',
						parameters: { parameters: [{ type: 'qs', name: 'start', value: '={{ $pageCount * 100 }}' }] },
						paginationCompleteWhen: 'other',
						// v7+ collections answer {total, data} (the VRO emulator since a5b5cf3, after the 7.2.1 reference's sample).
						completeExpression: '={{ $response.body.data.length < 100 || $pageCount * 100 >= $response.body.total }}',
						limitPagesFetched: false,
						requestInterval: 0,
					},
				},
			},
		},
	};
	const failNames = { token: 'S4 HTTP token (failover)', post: 'S4 HTTP start failover', wait: 'S4 Wait', get: 'S4 HTTP get plan', iff: 'S4 still running?', done: 'S4 done' };
	const to = (n) => ({ main: [[{ node: n, type: 'main', index: 0 }]] });
	return [
		{
			key: 's4-plans-ours', path: 'bench-s4-plans-ours', timed: ['S4 ours plans'],
			nodes: [{ name: 'S4 ours plans', type: `${PKG}.veeamOrchestrator`, typeVersion: 1, parameters: { resource: 'plan', operation: 'getAll', returnAll: true }, credentials: credRef(BENCH_CRED.vroOurs) }],
		},
		{
			key: 's4-plans-http', path: 'bench-s4-plans-http', timed: ['S4 HTTP token (plans)', 'S4 HTTP plans (pagination)'],
			nodes: [vroTokenNode('S4 HTTP token (plans)', vroUrl), planPages, splitOutNode('S4 HTTP split out', 'data')],
		},
		{
			key: 's4-fail-ours', path: 'bench-s4-fail-ours', timed: ['S4 ours failover'],
			nodes: [{
				name: 'S4 ours failover', type: `${PKG}.veeamOrchestrator`, typeVersion: 1,
				parameters: {
					resource: 'plan', operation: 'failover', planId: { __rl: true, mode: 'id', value: planId },
					waitForCompletion: true, waitOptions: { pollIntervalSeconds: pollSeconds, timeoutMinutes: 10 },
				},
				credentials: credRef(BENCH_CRED.vroOurs),
			}],
		},
		{
			// Hand-built: token → POST …/Failover → Wait → GET plan → IF still running → back to Wait.
			key: 's4-fail-http', path: 'bench-s4-fail-http', timed: Object.values(failNames),
			nodes: [
				vroTokenNode(failNames.token, vroUrl),
				{ name: failNames.post, type: HTTP_TYPE, typeVersion: HTTP_VERSION, parameters: { method: 'POST', url: `${base}/Plans/${planId}/Failover`, sendBody: true, specifyBody: 'json', jsonBody: '{}', ...bearerFrom(failNames.token), options: {} } },
				{ name: failNames.wait, type: 'n8n-nodes-base.wait', typeVersion: 1.1, webhookId: '0be0c000-0000-4000-8000-0000000000f1', parameters: { resume: 'timeInterval', amount: pollSeconds, unit: 'seconds' } },
				{ name: failNames.get, type: HTTP_TYPE, typeVersion: HTTP_VERSION, parameters: { method: 'GET', url: `${base}/Plans/${planId}`, ...bearerFrom(failNames.token), options: {} } },
				{
					name: failNames.iff, type: 'n8n-nodes-base.if', typeVersion: 2.2,
					parameters: {
						conditions: {
							options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
							conditions: [{ id: 'c1', leftValue: '={{ $json.state }}', rightValue: 'Running', operator: { type: 'string', operation: 'contains' } }],
							combinator: 'and',
						},
						options: {},
					},
				},
				{ name: failNames.done, type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} },
			],
			connections: {
				[failNames.token]: to(failNames.post),
				[failNames.post]: to(failNames.wait),
				[failNames.wait]: to(failNames.get),
				[failNames.get]: to(failNames.iff),
				[failNames.iff]: { main: [[{ node: failNames.wait, type: 'main', index: 0 }], [{ node: failNames.done, type: 'main', index: 0 }]] },
			},
		},
	];
}

module.exports = {
	BENCH_CRED, benchCredentials, webhookWorkflow, hookName, s1Branches, s1ExecuteWorkflows, s2Branches, s3Branches, s4Branches,
	s1Concurrencies, NOTE, VSA_PAGE, VRO_VERSION, HTTP_VERSION, PKG,
};
