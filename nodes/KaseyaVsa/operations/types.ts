import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ExecField, ExecOperation, HandlerContext } from '../../shared/executor';
import type { InputCheck } from '../validate';

/** A field of a VSA operation row: the shared executor's field (`in`, `rawPath`, `toApi`) plus VSA's ID rule. */
export type VsaField = ExecField & {
	/** A numeric VSA ID: must match /^\d{1,30}$/ and is sent as exact text. */
	numericId?: boolean;
};

/** One option of a list operation's Filters collection and the OData condition it stands for. */
export interface VsaFilter {
	property: INodeProperties;
	/** Builds the condition with nodes/shared/odata.ts only; undefined = no condition. */
	build: (value: unknown, check: InputCheck) => string | undefined;
}

export type VsaHandlerContext = HandlerContext<VsaOperation>;

export interface VsaOperation extends ExecOperation<VsaHandlerContext, VsaField> {
	/** Filters offered by a list operation (a Filters collection is generated from them). */
	filters?: VsaFilter[];
	/** Fields the server can sort by (a Sort collection is generated from them). */
	sortFields?: Array<{ name: string; value: string }>;
	/** `$orderby` when the user chose no sort (built with odata.ts). */
	orderby?: (values: IDataObject) => string | undefined;
}
