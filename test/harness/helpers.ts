/**
 * Helpers every integration test shares (they were copied into each test file): a resource locator value, the error
 * an execution ends with, a trigger node that keeps its static data between polls like n8n does, and a credential
 * store set up for each emulator.
 */
import type { ICredentialDataDecryptedObject, ICredentialType, IDataObject, INodeType } from 'n8n-workflow';

import { KaseyaVsaApi } from '../../credentials/KaseyaVsaApi.credentials';
import { VeeamOrchestratorApi } from '../../credentials/VeeamOrchestratorApi.credentials';
import { VRO_CREDENTIALS } from '../emulators/vro';
import { Harness } from './n8n';

/** The personal access token of user 'apiuser' that the VSA emulator accepts. */
export const VSA_PAT = '00000000-0000-0000-0000-000000000000';

/**
 * A fresh n8n credential store (no session token yet) with one Kaseya VSA credential: 'apiuser' and its personal
 * access token, for the emulator at `baseUrl`; `data` overrides fields. `credentialType` replaces the type as loaded.
 */
export function vsaSession(baseUrl: string, data: IDataObject = {}, credentialType: ICredentialType = new KaseyaVsaApi()): { harness: Harness; credId: string } {
	const harness = new Harness([credentialType]);
	const credId = harness.addCredential('kaseyaVsaApi', { baseUrl, authMethod: 'personalAccessToken', username: 'apiuser', personalAccessToken: VSA_PAT, ...data } as ICredentialDataDecryptedObject);
	return { harness, credId };
}

/** A fresh n8n credential store with one Veeam Recovery Orchestrator credential: the emulator's admin, password grant, API `apiVersion`. */
export function vroSession(baseUrl: string, apiVersion: string, data: IDataObject = {}): { harness: Harness; credId: string } {
	const harness = new Harness([new VeeamOrchestratorApi()]);
	const { username, password } = VRO_CREDENTIALS.admin;
	const credId = harness.addCredential('veeamOrchestratorApi', { baseUrl, apiVersion, authMethod: 'password', username, password, ...data } as ICredentialDataDecryptedObject);
	return { harness, credId };
}

/** A resource locator parameter given "By ID". */
export const rl = (value: unknown) => ({ __rl: true, mode: 'id', value: String(value) });

/** A resource locator "By ID" holding `value` exactly as given (not made text): for tests of values of the wrong type. */
export const rlAsGiven = (value: unknown): IDataObject => ({ __rl: true, mode: 'id', value }) as IDataObject;

/** What an n8n node error carries that tests read. */
export type Failure = Error & { description: string; httpCode?: string; context?: IDataObject; [key: string]: any };

/** The error `promise` rejects with (its description as text); fails the test when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<Failure> {
	try {
		await promise;
	} catch (error) {
		const e = error as Failure;
		e.description = String(e.description ?? '');
		return e;
	}
	throw new Error('expected the execution to fail');
}

/** One trigger node with its persisted static data; every poll builds a fresh n8n context. */
export class Poller {
	staticData: IDataObject = {};
	/** What getPollBudgetMs() answers (undefined: n8n's 5 minutes). */
	budgetMs?: number;
	harness!: Harness;
	credId!: string;

	constructor(
		readonly trigger: INodeType,
		readonly credential: { type: ICredentialType; data: ICredentialDataDecryptedObject },
		public parameters: IDataObject,
	) {
		this.restart();
	}

	/** A process restart: new harness and credential store; only the persisted JSON survives. */
	restart(): void {
		this.harness = new Harness([this.credential.type]);
		this.credId = this.harness.addCredential(this.credential.type.name, { ...this.credential.data });
	}

	async poll(mode: 'trigger' | 'manual' = 'trigger'): Promise<IDataObject[]> {
		const input = JSON.parse(JSON.stringify(this.staticData)) as IDataObject;
		const { output, staticData } = await this.harness.poll({
			nodeType: this.trigger,
			parameters: this.parameters,
			credentials: { [this.credential.type.name]: this.credId },
			mode,
			staticData: input,
			pollBudgetMs: this.budgetMs,
		});
		if (mode === 'trigger') this.staticData = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		if (output === null) return [];
		if (output.length !== 1) throw new Error(`a trigger answers one output, not ${output.length}`);
		return output[0].map((i) => i.json);
	}
}
