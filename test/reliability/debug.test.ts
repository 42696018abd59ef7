import { byId, harness, startVsa, vsaCredentialData, vsaNode } from './support/env';
import { serializeDeep } from './secrets';
it('debug', async () => {
	const vsa = await startVsa({ agents: 20, seed: 1 });
	const h = harness();
	const id = h.addCredential('kaseyaVsaApi', vsaCredentialData(vsa));
	vsa.fault({ kind: 'resetAfter', method: 'PUT', path: 'runnow', times: 1 });
	try {
		await h.execute({ nodeType: vsaNode(), parameters: { resource: 'agentProcedure', operation: 'run', agentId: byId(String(vsa.store.agents[0].AgentId)), procedureId: byId(1000108) }, credentials: { kaseyaVsaApi: id } });
	} catch (e) {
		console.log(serializeDeep(e).slice(0, 6000));
	}
	await vsa.close();
});
