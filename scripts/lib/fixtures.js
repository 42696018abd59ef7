'use strict';
/**
 * Demo credentials (fixed ids) pointing at the emulators, and the example workflows of examples/
 * prepared for import: credential references resolved to the demo credentials, emulator URLs of the
 * default ports rewritten to the ports actually used.
 */
const fs = require('fs');
const path = require('path');
const { REPO } = require('./build');
const { DEMO_LOGINS, DEFAULT_VSA_PORT, DEFAULT_VRO_PORT, DEFAULT_VSPC_PORT } = require('./emulators');

const EXAMPLES_DIR = path.join(REPO, 'examples');

/** Fixed credential ids (16 characters, like n8n's own) — the example workflows reference these. */
const CRED = {
	vsaPat: { id: 'kvsaPatDemo00001', name: 'Kaseya VSA (emulator, PAT)', type: 'kaseyaVsaApi' },
	vsaPassword: { id: 'kvsaPwdDemo00001', name: 'Kaseya VSA (emulator, password)', type: 'kaseyaVsaApi' },
	vro: { id: 'vro721Demo000001', name: 'Veeam Orchestrator v7.21 (emulator)', type: 'veeamOrchestratorApi' },
	vroV1: { id: 'vroV1Demo0000001', name: 'Veeam Orchestrator v1 / VAO 1.0 (emulator)', type: 'veeamOrchestratorApi' },
	vroClient: { id: 'vroCliDemo000001', name: 'Veeam Orchestrator v7.21 client account (emulator)', type: 'veeamOrchestratorApi' },
	vspc: { id: 'vspcDemo00000001', name: 'Veeam Service Provider Console (emulator)', type: 'veeamServiceProviderConsoleApi' },
};

/** The credential an example uses when it names none we know, per credential type. */
const DEFAULT_FOR_TYPE = { kaseyaVsaApi: CRED.vsaPat, veeamOrchestratorApi: CRED.vro, veeamServiceProviderConsoleApi: CRED.vspc };

/**
 * @param {{vsaUrl: string, vroUrl: string}} urls  emulator roots, e.g. http://127.0.0.1:8401
 * @returns {Array<{id: string, name: string, type: string, data: object}>}
 */
function demoCredentials({ vsaUrl, vroUrl, vspcUrl }) {
	const v = DEMO_LOGINS.vsa;
	const o = DEMO_LOGINS.vro;
	const vsaCommon = { baseUrl: vsaUrl, allowUnauthorizedCerts: false, sessionToken: '' };
	const vroCommon = { baseUrl: vroUrl, allowUnauthorizedCerts: false, accessToken: '', refreshToken: '' };
	return [
		{ ...CRED.vsaPat, data: { ...vsaCommon, authMethod: 'personalAccessToken', username: v.patUser, personalAccessToken: v.pat } },
		{ ...CRED.vsaPassword, data: { ...vsaCommon, authMethod: 'password', username: v.passwordUser, password: v.password } },
		{ ...CRED.vro, data: { ...vroCommon, apiVersion: 'v7.21', authMethod: 'password', username: o.username, password: o.password } },
		{ ...CRED.vroV1, data: { ...vroCommon, apiVersion: 'v1', authMethod: 'password', username: o.username, password: o.password } },
		{ ...CRED.vroClient, data: { ...vroCommon, apiVersion: 'v7.21', authMethod: 'clientCredentials', clientId: o.clientId, clientSecret: o.clientSecret } },
		...(vspcUrl ? [{ ...CRED.vspc, data: { baseUrl: vspcUrl, authMethod: 'password', username: DEMO_LOGINS.vspc.username, password: DEMO_LOGINS.vspc.password, allowUnauthorizedCerts: false, accessToken: '', refreshToken: '' } }] : []),
	];
}

/** examples/*.json in name order: [{file, workflow}] */
function loadExamples(dir = EXAMPLES_DIR) {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => {
		const file = path.join(dir, f);
		let workflow;
		try {
			workflow = JSON.parse(fs.readFileSync(file, 'utf8'));
		} catch (e) {
			throw new Error(`${path.relative(REPO, file)} is not valid JSON: ${e.message}`);
		}
		if (!workflow.id) throw new Error(`${path.relative(REPO, file)} has no fixed "id"`);
		return { file, workflow };
	});
}

/**
 * Copy a workflow for import: credential references → demo credentials (by id, then name, then
 * type default), default emulator ports → actual URLs, inactive.
 */
function prepareWorkflow(workflow, { vsaUrl, vroUrl, vspcUrl }) {
	const byId = new Map(Object.values(CRED).map((c) => [c.id, c]));
	const byName = new Map(Object.values(CRED).map((c) => [c.name, c]));
	let text = JSON.stringify(workflow);
	text = text.split(`http://127.0.0.1:${DEFAULT_VSA_PORT}`).join(vsaUrl).split(`http://localhost:${DEFAULT_VSA_PORT}`).join(vsaUrl);
	text = text.split(`http://127.0.0.1:${DEFAULT_VRO_PORT}`).join(vroUrl).split(`http://localhost:${DEFAULT_VRO_PORT}`).join(vroUrl);
	if (vspcUrl) text = text.split(`http://127.0.0.1:${DEFAULT_VSPC_PORT}`).join(vspcUrl).split(`http://localhost:${DEFAULT_VSPC_PORT}`).join(vspcUrl);
	const wf = JSON.parse(text);
	for (const node of wf.nodes || []) {
		for (const [type, ref] of Object.entries(node.credentials || {})) {
			const c = byId.get(ref && ref.id) || byName.get(ref && ref.name) || DEFAULT_FOR_TYPE[type];
			if (c) node.credentials[type] = { id: c.id, name: c.name };
		}
	}
	wf.active = false;
	return wf;
}

module.exports = { CRED, demoCredentials, loadExamples, prepareWorkflow, EXAMPLES_DIR };
