/**
 * Each credential cleans a pasted server URL twice: in code (login, nodes) and in the n8n expression
 * of its credential test. Both are built from one suffix pattern; this proves they give the same root.
 */
import { VeeamOrchestratorApi } from '../../credentials/VeeamOrchestratorApi.credentials';
import { KaseyaVsaApi } from '../../credentials/KaseyaVsaApi.credentials';
import { VeeamServiceProviderConsoleApi } from '../../credentials/VeeamServiceProviderConsoleApi.credentials';
import { vroServerRoot } from '../../credentials/shared/vroVersions';
import { vsaServerRoot } from '../../credentials/shared/vsaLogin';
import { vspcServerRoot } from '../../credentials/shared/vspcLogin';

/** Evaluates `={{ … }}` over `$credentials` as n8n's expression engine would for this plain JavaScript. */
function evaluate(expression: string, baseUrl: string): string {
	const body = expression.replace(/^=\{\{/, '').replace(/\}\}$/, '');
	return new Function('$credentials', `return (${body});`)({ baseUrl }) as string;
}

const PASTED = [
	'https://server.example.com',
	'https://server.example.com/',
	'  https://server.example.com:8443//  ',
	'https://server.example.com/?tab=1#top',
	'https://server.example.com/api/v1.0',
	'https://server.example.com/API/V1.0/',
	'https://server.example.com:9898/api/v7.21',
	'https://server.example.com:9898/api/token',
	'https://server.example.com:9898/v1/token',
	'https://server.example.com:9898/swagger/ui/index',
	'https://server.example.com:1280/api/v3',
	'https://server.example.com:1280/api/v3/token',
	'https://server.example.com:1280/token',
];

describe.each([
	['Kaseya VSA', new KaseyaVsaApi(), vsaServerRoot],
	['Veeam Orchestrator', new VeeamOrchestratorApi(), vroServerRoot],
	['Veeam Service Provider Console', new VeeamServiceProviderConsoleApi(), vspcServerRoot],
] as const)('%s: the credential test reaches the same server root as the login', (_product, credential, root) => {
	it.each(PASTED)('%s', (pasted) => {
		const expression = String(credential.test.request.baseURL);
		expect(evaluate(expression, pasted)).toBe(root(pasted));
	});
});

it('the roots differ by product only in the API suffix they strip', () => {
	expect(vsaServerRoot('https://h/api/v1.0/')).toBe('https://h');
	expect(vroServerRoot('https://h/api/v13.1')).toBe('https://h');
	expect(vspcServerRoot('https://h/api/v3/token')).toBe('https://h');
	expect(vsaServerRoot('https://h/api/v3')).toBe('https://h/api/v3');
});
