import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CallOptions } from '../../shared/descriptions';
import type { FieldDef, OperationDef } from '../../shared/operations';
import type { InputCheck } from '../validate';

/** A field of a VSA operation row: where it goes (`in`), plus the checks the router makes before sending. */
export type VsaField = FieldDef & {
	/** A numeric VSA ID: must match /^\d{1,30}$/ and is sent as exact text. */
	numericId?: boolean;
	/**
	 * An `options` value inserted into the path as it is, because it contains `/` (log and audit
	 * kinds). The router accepts only the listed option values.
	 */
	rawPath?: boolean;
	/** Turns the parameter value into what the API expects (e.g. a boolean as `True`). */
	toApi?: (value: unknown) => unknown;
};

/** One option of a list operation's Filters collection and the OData condition it stands for. */
export interface VsaFilter {
	property: INodeProperties;
	/** Builds the condition with nodes/shared/odata.ts only; undefined = no condition. */
	build: (value: unknown, check: InputCheck) => string | undefined;
}

export interface VsaHandlerContext {
	fn: IExecuteFunctions;
	op: VsaOperation;
	options: CallOptions;
	check: InputCheck;
}

export interface VsaOperation extends OperationDef<VsaHandlerContext> {
	fields?: VsaField[];
	/** Filters offered by a list operation (a Filters collection is generated from them). */
	filters?: VsaFilter[];
	/** Fields the server can sort by (a Sort collection is generated from them). */
	sortFields?: Array<{ name: string; value: string }>;
	/** `$orderby` when the user chose no sort (built with odata.ts). */
	orderby?: (values: IDataObject) => string | undefined;
	/** Field that identifies a record of a list, for the paging duplicate check. */
	key?: string;
	/** Shapes the result of a non-list request (e.g. a bare id). Default: records as items, `true`/204 → successOutput. */
	output?: (result: unknown, values: IDataObject) => IDataObject | IDataObject[];
}
