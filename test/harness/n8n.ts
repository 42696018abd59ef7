/**
 * Runs our nodes inside n8n's real execution context (n8n-core's ExecuteContext/PollContext/
 * LoadOptionsContext, n8n-core's httpRequestWithAuthentication and HTTP client) against the
 * emulators over loopback. Only n8n's *credential store* is replaced, by an in-memory one that
 * follows the semantics of n8n's CLI CredentialsHelper (packages/cli/src/credentials-helper.ts in n8n-io/n8n):
 * preAuthentication runs when the expirable field is empty or after a 401, its output is persisted
 * and overlaid, and generic `authenticate` blocks are resolved as n8n expressions.
 */
import {
	ExecuteContext,
	LoadOptionsContext,
	PollContext,
} from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRunExecutionData,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers, Workflow, createRunExecutionData } from 'n8n-workflow';

export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

/** In-memory credential store with n8n's preAuthentication/persistence semantics. */
export class MemoryCredentialsHelper extends ICredentialsHelper {
	readonly store = new Map<string, StoredCredential>();
	preAuthenticationCalls = 0;
	updates = 0;

	constructor(readonly types: Record<string, ICredentialType>) {
		super();
	}

	add(cred: StoredCredential): void {
		this.store.set(cred.id, { ...cred, data: { ...cred.data } });
	}

	get(id: string): StoredCredential {
		const c = this.store.get(id);
		if (!c) throw new Error(`no credential ${id}`);
		return c;
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, typeName: string, requestOptions: IHttpRequestOptions, workflow?: Workflow, node?: INode): Promise<IHttpRequestOptions> {
		const type = this.types[typeName];
		const auth = type.authenticate;
		if (!auth) return requestOptions;
		if (typeof auth === 'function') return await auth(credentials, requestOptions);
		const resolve = (value: unknown) =>
			typeof value === 'string' && value.startsWith('=') && workflow && node
				? workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '')
				: value;
		const out: any = { ...requestOptions };
		for (const [outerKey, outerValue] of Object.entries(auth.properties)) {
			if (typeof outerValue === 'object' && outerValue !== null) {
				out[outerKey] = { ...(out[outerKey] ?? {}) };
				for (const [key, value] of Object.entries(outerValue)) out[outerKey][resolve(key) as string] = resolve(value);
			} else {
				out[outerKey] = resolve(outerValue);
			}
		}
		return out as IHttpRequestOptions;
	}

	async preAuthentication(helpers: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject, typeName: string, node: INode, credentialsExpired: boolean) {
		const type = this.types[typeName];
		const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		if (!expirable || !type.preAuthentication) return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		this.preAuthenticationCalls++;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		const ref = node.credentials?.[typeName];
		if (ref?.id) {
			const stored = this.get(ref.id);
			stored.data = { ...stored.data, ...(output as ICredentialDataDecryptedObject) };
			this.updates++;
		}
		return output as ICredentialDataDecryptedObject;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails): Promise<ICredentials> {
		throw new Error(`getCredentials not supported in tests (${nodeCredentials.id})`);
	}

	async getDecrypted(_a: IWorkflowExecuteAdditionalData, nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentialDataDecryptedObject> {
		// Like n8n, whose read is a database query: it completes in a later turn of the event loop, never
		// synchronously. Without this yield, races between concurrent requests of one run stay hidden.
		await new Promise<void>((resolve) => setImmediate(resolve));
		const stored = this.get(nodeCredentials.id!);
		// Like n8n: defaults for declared properties, and only declared properties survive a read.
		const data = NodeHelpers.getNodeParameters(this.types[type].properties, stored.data as any, true, false, null, null) as ICredentialDataDecryptedObject;
		return { ...data };
	}

	async updateCredentials(nodeCredentials: INodeCredentialsDetails, _type: string, data: ICredentialDataDecryptedObject) {
		const stored = this.get(nodeCredentials.id!);
		stored.data = { ...data };
		this.updates++;
	}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.types[type].properties;
	}
}

export class NodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType>) {}
	getByName(name: string) {
		return this.types[name];
	}
	getByNameAndVersion(name: string) {
		return this.types[name];
	}
	getKnownTypes() {
		return {};
	}
}

export interface NodeRunOptions {
	nodeType: INodeType;
	parameters: IDataObject;
	credentials: Record<string, string>; // credential type → stored id
	input?: IDataObject[];
	mode?: WorkflowExecuteMode;
	continueOnFail?: boolean;
	staticData?: IDataObject;
	/** poll() only: what `getPollBudgetMs()` answers (n8n's default is 5 minutes). */
	pollBudgetMs?: number;
	nodeName?: string;
}

export class Harness {
	readonly credentials: MemoryCredentialsHelper;
	constructor(credentialTypes: ICredentialType[]) {
		this.credentials = new MemoryCredentialsHelper(Object.fromEntries(credentialTypes.map((t) => [t.name, t])));
	}

	addCredential(type: string, data: ICredentialDataDecryptedObject, id = `${type}-1`): string {
		this.credentials.add({ id, name: `${type} test`, type, data });
		return id;
	}

	credentialData(id: string): ICredentialDataDecryptedObject {
		return this.credentials.get(id).data;
	}

	private build(options: NodeRunOptions) {
		const typeName = options.nodeType.description.name;
		const node: INode = {
			id: 'node-1',
			name: options.nodeName ?? options.nodeType.description.displayName,
			type: typeName,
			typeVersion: Array.isArray(options.nodeType.description.version)
				? Math.max(...options.nodeType.description.version)
				: options.nodeType.description.version,
			position: [0, 0],
			parameters: options.parameters as any,
			continueOnFail: options.continueOnFail,
			onError: options.continueOnFail ? 'continueRegularOutput' : undefined,
			credentials: Object.fromEntries(Object.entries(options.credentials).map(([type, id]) => [type, { id, name: `${type} test` }])),
		};
		const workflow = new Workflow({
			id: 'wf-1',
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: new NodeTypes({ [typeName]: options.nodeType }),
			staticData: options.staticData ?? {},
		});
		const additionalData = {
			credentialsHelper: this.credentials,
			restApiUrl: 'http://127.0.0.1:5678/rest',
			instanceBaseUrl: 'http://127.0.0.1:5678',
			webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
			webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
			webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
			formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
			variables: {},
			executionId: 'exec-1',
			userId: 'user-1',
		} as unknown as IWorkflowExecuteAdditionalData;
		return { node: workflow.getNode(node.name)!, workflow, additionalData };
	}

	/** Runs the node's execute() once over the given input items. */
	async execute(options: NodeRunOptions): Promise<INodeExecutionData[][]> {
		const { node, workflow, additionalData } = this.build(options);
		const items: INodeExecutionData[] = (options.input ?? [{}]).map((json) => ({ json }));
		const runExecutionData: IRunExecutionData = createRunExecutionData({ resultData: { runData: {} } } as any);
		const executeData: IExecuteData = { node, data: { main: [items] }, source: { main: [{ previousNode: 'Start' }] } };
		const ctx = new ExecuteContext(workflow, node, additionalData, options.mode ?? 'manual', runExecutionData, 0, items, { main: [items] }, executeData, []);
		return (await options.nodeType.execute!.call(ctx)) as INodeExecutionData[][];
	}

	/** Runs poll() once; returns the output and the node's static data afterwards. */
	async poll(options: NodeRunOptions): Promise<{ output: INodeExecutionData[][] | null; staticData: IDataObject }> {
		const { node, workflow, additionalData } = this.build(options);
		const budget = options.pollBudgetMs;
		const ctx = new PollContext(workflow, node, additionalData, options.mode ?? "trigger", "activate", undefined, undefined, undefined, undefined, undefined, budget === undefined ? undefined : () => budget);
		const output = await options.nodeType.poll!.call(ctx);
		return { output, staticData: workflow.staticData as IDataObject };
	}

	/** A LoadOptionsContext for calling methods.loadOptions / listSearch. */
	loadOptionsContext(options: NodeRunOptions) {
		const { node, workflow, additionalData } = this.build(options);
		(additionalData as any).currentNodeParameters = node.parameters;
		return new LoadOptionsContext(workflow, node, additionalData, "");
	}
}
