/**
 * Helpers every integration test shares (they were copied into each test file): a resource locator value, the error
 * an execution ends with, and a trigger node that keeps its static data between polls like n8n does.
 */
import type { ICredentialDataDecryptedObject, ICredentialType, IDataObject, INodeType } from 'n8n-workflow';

import { Harness } from './n8n';

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
