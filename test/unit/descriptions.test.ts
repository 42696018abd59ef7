/**
 * What the editor shows, checked with n8n's own description rules.
 *
 * eslint-plugin-n8n-nodes-base (the rulesets n8n's verification scanner applies) inspects only inline
 * `properties: [...]` literals; our properties are generated from operation tables, so the linter never
 * sees them. Here every node and credential is instantiated, its runtime description is printed back as
 * a TypeScript literal at the file's real path, and the same rules (with the scanner's overrides) run on
 * it. A few checks the rules leave out follow (resources and operations always alphabetised, the
 * Custom API Call convention, duplicate parameter names), plus the codex files.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Linter } from 'eslint';
import type { ICredentialType, INodeProperties, INodePropertyCollection, INodePropertyOptions, INodeType, INodeTypeDescription } from 'n8n-workflow';

/**
 * eslint-plugin-n8n-nodes-base ships CommonJS without types. Under NODE_ENV=test (set by Jest) its
 * filename helpers pretend every file is `Test.node.ts`, a regular node, a trigger and a credential at
 * once; they read NODE_ENV when loaded, so load it with NODE_ENV unset to get the real filename checks.
 */
function loadN8nNodesBase(): { configs: Record<'nodes' | 'credentials', { rules: Linter.RulesRecord }> } {
	const saved = process.env.NODE_ENV;
	delete process.env.NODE_ENV;
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		return require('eslint-plugin-n8n-nodes-base');
	} finally {
		process.env.NODE_ENV = saved;
	}
}
const n8nNodesBase = loadN8nNodesBase();
// The parser the scanner registers for .ts files (its package types need moduleResolution node16).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tsParser = require('@typescript-eslint/parser') as Linter.Parser;

/**
 * Defaults of `resource` and of each resource's `operation` as released. n8n leaves a parameter equal
 * to its default out of a saved workflow, so these must never change, whatever order the lists take.
 */
const RELEASED_DEFAULTS: Record<string, Record<string, string>> = {
	kaseyaVsa: {
		resource: 'agent',
		agent: 'getAll', agentNote: 'getAll', agentProcedure: 'getAll', alarm: 'getAll', asset: 'getAll', audit: 'get', customField: 'getAll', log: 'get', machineGroup: 'getAll',
		organization: 'getAll', patch: 'getStatus', serviceDesk: 'getAll', serviceDeskTicket: 'getAll', user: 'getAll', role: 'getAll', scope: 'getAll', system: 'getEnvironment', customApi: 'request',
	},
	veeamOrchestrator: {
		resource: 'plan',
		plan: 'getAll', runtimeDetails: 'get', site: 'getAll', scope: 'getAll', recoveryLocation: 'getAll', licenseUsage: 'get', clientAccount: 'create', session: 'logout', customApi: 'request',
	},
};

const root = path.resolve(__dirname, '../..');
const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** n8n's name and value for the option it appends to `resource`/`operation` (n8n packages/cli constants.ts). */
const CUSTOM_API_CALL_NAME = 'Custom API Call';
const CUSTOM_API_CALL_KEY = '__CUSTOM_API_CALL__';

/** The overrides of @n8n/scan-community-package 0.32.0 scanner/scanner.mjs `buildScanConfig` (same reasons). */
const SCANNER_NODE_OVERRIDES: Linter.RulesRecord = {
	'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
	'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
	'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
};
const SCANNER_CREDENTIAL_OVERRIDES: Linter.RulesRecord = {
	'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
	'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
};

// ---- discovery: every registered node and credential, mapped back from dist/*.js to its .ts source ----

function sourceOf(distPath: string): string {
	return distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts');
}

function instantiate<T>(sourcePath: string): T {
	const className = path.basename(sourcePath).split('.')[0];
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const Class = require(path.join(root, sourcePath))[className];
	if (typeof Class !== 'function') throw new Error(`${sourcePath} exports no class ${className}`);
	return new Class() as T;
}

function globSources(dir: string, suffix: string): string[] {
	const out: string[] = [];
	const walk = (rel: string) => {
		for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
			const child = `${rel}/${entry.name}`;
			if (entry.isDirectory()) walk(child);
			else if (entry.name.endsWith(suffix)) out.push(child);
		}
	};
	walk(dir);
	return out.sort();
}

const nodeSources: string[] = packageJson.n8n.nodes.map(sourceOf);
const credentialSources: string[] = packageJson.n8n.credentials.map(sourceOf);
const nodes = nodeSources.map((source) => ({ source, description: instantiate<INodeType>(source).description }));
const credentials = credentialSources.map((source) => ({ source, credential: instantiate<ICredentialType>(source) }));
const regularNodes = nodes.filter((n) => !n.description.group.includes('trigger'));

// ---- the runtime description printed back as source, so the rules see it as an inline literal ----

/** A literal with bare identifier keys, as the rules' AST getters expect (`displayName:`, not `"displayName":`). */
function toSource(value: unknown, indent = ''): string {
	const inner = indent + '\t';
	if (Array.isArray(value)) {
		if (value.length === 0) return '[]';
		return `[\n${value.map((v) => inner + toSource(v, inner)).join(',\n')},\n${indent}]`;
	}
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
		if (entries.length === 0) return '{}';
		const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k));
		return `{\n${entries.map(([k, v]) => `${inner}${key(k)}: ${toSource(v, inner)}`).join(',\n')},\n${indent}}`;
	}
	return JSON.stringify(value);
}

/**
 * The description as n8n's own nodes write it: their literals have no Custom API Call option, n8n appends
 * it last when it loads them. Ours is already there (so n8n adds none), and the sorting rule would not
 * know it belongs last; it is left out here and checked on its own below.
 */
function asLiteral(description: INodeTypeDescription): INodeTypeDescription {
	const properties = description.properties.map((p) =>
		p.name === 'resource' && p.options ? { ...p, options: (p.options as INodePropertyOptions[]).filter((o) => o.name !== CUSTOM_API_CALL_NAME) } : p,
	);
	return { ...description, properties };
}

function nodeSourceText(source: string, description: INodeTypeDescription): string {
	const className = path.basename(source).split('.')[0];
	return [
		"import type { INodeType, INodeTypeDescription } from 'n8n-workflow';",
		'',
		`export class ${className} implements INodeType {`,
		`\tdescription: INodeTypeDescription = ${toSource(description, '\t')};`,
		'}',
		'',
	].join('\n');
}

function credentialSourceText(source: string, credential: ICredentialType): string {
	const className = path.basename(source).split('.')[0];
	const fields = Object.entries(credential)
		.filter(([, v]) => v !== undefined && typeof v !== 'function')
		.map(([k, v]) => (k === 'properties' ? `\tproperties: INodeProperties[] = ${toSource(v, '\t')};` : `\t${k} = ${toSource(v, '\t')};`));
	return [
		"import type { ICredentialType, INodeProperties } from 'n8n-workflow';",
		'',
		`export class ${className} implements ICredentialType {`,
		...fields,
		'}',
		'',
	].join('\n');
}

function lint(text: string, filename: string, rules: Linter.RulesRecord): string[] {
	const linter = new Linter({ configType: 'flat' });
	const messages = linter.verify(
		text,
		[{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, plugins: { 'n8n-nodes-base': n8nNodesBase as any }, rules }],
		filename,
	);
	const lines = text.split('\n');
	return messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message} — at \`${(lines[m.line - 1] ?? '').trim()}\``);
}

// ---- walking the properties the editor shows ----

type Option = INodePropertyOptions | INodeProperties | INodePropertyCollection;

/** Every property, at any depth (collection options, fixedCollection values), with a readable path. */
function allProperties(properties: INodeProperties[], trail = ''): Array<{ property: INodeProperties; where: string }> {
	const out: Array<{ property: INodeProperties; where: string }> = [];
	for (const property of properties) {
		const where = `${trail}${property.displayName}`;
		out.push({ property, where });
		for (const option of (property.options ?? []) as Option[]) {
			if ('type' in option && 'displayName' in option) out.push(...allProperties([option as INodeProperties], `${where} › `));
			if ('values' in option) out.push(...allProperties((option as INodePropertyCollection).values, `${where} › ${option.displayName} › `));
		}
	}
	return out;
}

function optionNames(property: INodeProperties): string[] {
	return ((property.options ?? []) as Option[]).map((o) => ('displayName' in o && !('value' in o) ? o.displayName : (o as INodePropertyOptions).name));
}

const byLocale = (a: string, b: string) => a.localeCompare(b);

describe('node descriptions pass n8n\'s description rules as the editor sees them', () => {
	it('finds every node and credential: package.json lists all *.node.ts and *.credentials.ts sources', () => {
		expect(nodeSources.slice().sort()).toEqual(globSources('nodes', '.node.ts'));
		expect(credentialSources.slice().sort()).toEqual(globSources('credentials', '.credentials.ts'));
		expect(nodes.length).toBeGreaterThanOrEqual(4);
	});

	it.each(nodes.map((n) => [n.source, n.description] as const))('%s: eslint-plugin-n8n-nodes-base `nodes` rules on the runtime description', (source, description) => {
		const rules = { ...n8nNodesBase.configs.nodes.rules, ...SCANNER_NODE_OVERRIDES };
		expect(lint(nodeSourceText(source, asLiteral(description)), path.join(root, source), rules)).toEqual([]);
	});

	it.each(credentials.map((c) => [c.source, c.credential] as const))('%s: eslint-plugin-n8n-nodes-base `credentials` rules on the runtime class', (source, credential) => {
		const rules = { ...n8nNodesBase.configs.credentials.rules, ...SCANNER_CREDENTIAL_OVERRIDES };
		expect(lint(credentialSourceText(source, credential), path.join(root, source), rules)).toEqual([]);
	});

	it('uses the overrides of the pinned scanner (read from its scanner.mjs, which Jest cannot import)', () => {
		const scanner = fs.readFileSync(require.resolve('@n8n/scan-community-package/scanner/scanner.mjs'), 'utf8');
		const offInScanner = [...scanner.matchAll(/'(n8n-nodes-base\/[\w-]+)': 'off'/g)].map((m) => m[1]).sort();
		expect(offInScanner).toEqual(Object.keys({ ...SCANNER_NODE_OVERRIDES, ...SCANNER_CREDENTIAL_OVERRIDES }).sort());
		expect(scanner).toMatch(/\.\.\.n8nNodesPlugin\.configs\.nodes\.rules/);
		expect(scanner).toMatch(/\.\.\.n8nNodesPlugin\.configs\.credentials\.rules/);
	});

	it('the rules see the generated properties (a planted violation is reported)', () => {
		const [{ source, description }] = regularNodes;
		const planted = { ...description, properties: [{ displayName: 'planted name', name: 'planted', type: 'string', default: '', description: 'lower-case start.' }, ...description.properties] };
		const found = lint(nodeSourceText(source, planted as INodeTypeDescription), path.join(root, source), { ...n8nNodesBase.configs.nodes.rules, ...SCANNER_NODE_OVERRIDES });
		expect(found.join('\n')).toMatch(/node-param-display-name-miscased/);
		expect(found.join('\n')).toMatch(/node-param-description-lowercase-first-char/);
	});
});

describe('what the rules leave out', () => {
	it.each(regularNodes.map((n) => [n.description.name, n.description] as const))('%s: resources and every operation list are alphabetised, whatever their length (Custom API Call last)', (_name, description) => {
		const lists = description.properties.filter((p) => p.name === 'resource' || p.name === 'operation');
		expect(lists.length).toBeGreaterThan(1);
		for (const list of lists) {
			const names = optionNames(list).filter((n) => n !== CUSTOM_API_CALL_NAME);
			expect({ list: `${list.name} ${JSON.stringify(list.displayOptions?.show ?? {})}`, names }).toEqual({ list: `${list.name} ${JSON.stringify(list.displayOptions?.show ?? {})}`, names: names.slice().sort(byLocale) });
		}
	});

	it.each(regularNodes.map((n) => [n.description.name, n.description] as const))('%s: the defaults of resource and operation are the released ones (a saved workflow omits them)', (name, description) => {
		const defaults: Record<string, unknown> = {};
		for (const p of description.properties) {
			if (p.name === 'resource') defaults.resource = p.default;
			if (p.name === 'operation') defaults[p.displayOptions!.show!.resource![0] as string] = p.default;
			if (p.name === 'resource' || p.name === 'operation') expect((p.options as INodePropertyOptions[]).map((o) => o.value)).toContain(p.default);
		}
		// A node released after this list was written is checked for valid defaults only (above).
		if (RELEASED_DEFAULTS[name]) expect(defaults).toMatchObject(RELEASED_DEFAULTS[name]);
	});

	it.each(regularNodes.map((n) => [n.description.name, n.description] as const))('%s: follows the Custom API Call convention with a stable value', (_name, description) => {
		// n8n appends { name: 'Custom API Call', value: '__CUSTOM_API_CALL__' } to every `resource` and
		// `operation` list of a node whose credential has `authenticate`, unless the list already ends with
		// an option of that name. Our own raw-request resource takes that place, so the editor shows one
		// "Custom API Call" (ours, with our login, paging and retries), and saved workflows keep `customApi`.
		const resources = description.properties.find((p) => p.name === 'resource')!.options as INodePropertyOptions[];
		expect(resources[resources.length - 1]).toMatchObject({ name: CUSTOM_API_CALL_NAME, value: 'customApi' });
		for (const { property } of allProperties(description.properties)) {
			for (const option of (property.options ?? []) as INodePropertyOptions[]) {
				expect(option.value).not.toBe(CUSTOM_API_CALL_KEY);
				if (option.name === CUSTOM_API_CALL_NAME) expect([property.name, option.value]).toEqual(['resource', 'customApi']);
			}
		}
	});

	it.each(nodes.map((n) => [n.description.name, n.description] as const))('%s: no two parameters with the same name are shown at once', (_name, description) => {
		const seen = new Map<string, string>();
		const duplicates: string[] = [];
		for (const property of description.properties) {
			const key = `${property.name} ${JSON.stringify(property.displayOptions ?? {})}`;
			if (seen.has(key)) duplicates.push(key);
			seen.set(key, property.displayName);
		}
		expect(duplicates).toEqual([]);
	});

	it.each(nodes.map((n) => [n.description.name, n.description] as const))('%s: every parameter at any depth has a default, every operation an action', (_name, description) => {
		const problems: string[] = [];
		for (const { property, where } of allProperties(description.properties)) {
			if (property.default === undefined) problems.push(`${where}: no default`);
			if (property.name === 'operation') {
				for (const option of property.options as INodePropertyOptions[]) if (!option.action) problems.push(`${where} › ${option.name}: no action`);
			}
		}
		expect(problems).toEqual([]);
	});
});

describe('codex files', () => {
	const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
	/** GitHub's heading anchors: lower-case, punctuation other than - and _ dropped, spaces to -. */
	const anchors = new Set(
		readme
			.split('\n')
			.filter((line) => /^#{1,6} /.test(line))
			.map((line) => line.replace(/^#+ /, '').trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/ /g, '-')),
	);
	const codexes = nodeSources.map((source) => ({ source, codex: JSON.parse(fs.readFileSync(path.join(root, source.replace(/\.ts$/, '.json')), 'utf8')) }));

	it.each(codexes.map((c) => [c.source, c.codex] as const))('%s: names its node, links credential docs and a README section, no empty subcategories', (source, codex) => {
		const node = nodes.find((n) => n.source === source)!.description;
		expect(codex.node).toBe(`${packageJson.name}.${node.name}`);
		expect(codex.categories.length).toBeGreaterThan(0);
		if ('subcategories' in codex) expect(Object.keys(codex.subcategories).length).toBeGreaterThan(0);
		expect(codex.resources.credentialDocumentation.length).toBeGreaterThan(0);
		const prefix = `${packageJson.homepage}#`;
		for (const { url } of codex.resources.credentialDocumentation) {
			expect(url).toMatch(/^https:\/\//);
			if (url.startsWith(prefix)) expect(anchors).toContain(url.slice(prefix.length));
		}
		// The README section of the node, so the editor's docs link lands on it.
		const [primary] = codex.resources.primaryDocumentation;
		expect(primary.url.startsWith(prefix)).toBe(true);
		expect(anchors).toContain(primary.url.slice(prefix.length));
	});

	it('every node is in the same categories', () => {
		const categories = codexes.map((c) => JSON.stringify(c.codex.categories));
		expect(new Set(categories).size).toBe(1);
	});
});
