/**
 * The VSA envelope (https://help.vsa9.kaseya.com/help/Content/Modules/rest-api/31616.htm) and request-body rules (KAT VSAModule/CHANGELOG.md) shared by all routes.
 *
 *  - Collection: `{TotalRecords, Result: [...], ResponseCode: 0, Status: "OK", Error: "None"}`;
 *    single record / action: same without TotalRecords; 204 with no body for DELETE and run-now.
 *  - HTTP errors carry the envelope too: `{Result: null, ResponseCode: <status>, Status: "Error", Error: <text>}`
 *    (the `Status` value of error envelopes is not documented; "Error" is the emulator's choice).
 *  - Errors inside HTTP 200 (auth 'body' style, injected envelope faults) mirror the only documented
 *    sample, `{"ResponseCode":401,"Status":"OK","Error":"None"}`: `Status` stays "OK", so a client must
 *    judge by `ResponseCode`, as the reference advises.
 *  - Bodies are parsed losslessly; integer fields reject `7.0` with Json.NET's message; single-element
 *    arrays must stay arrays.
 */
import type { EmulatorRequest, EmulatorResponse } from '../common/server';
import { JsonNumber, JsonSyntaxError, parseJsonLossless, toJson } from './json';

export const JSON_TYPE = 'application/json; charset=utf-8';

export function sendJson(status: number, body: unknown): EmulatorResponse {
	return { status, headers: { 'Content-Type': JSON_TYPE }, body: toJson(body) };
}

export function ok(result: unknown): EmulatorResponse {
	return sendJson(200, { Result: result, ResponseCode: 0, Status: 'OK', Error: 'None' });
}

export function okList(page: unknown[], total: number): EmulatorResponse {
	return sendJson(200, { TotalRecords: total, Result: page, ResponseCode: 0, Status: 'OK', Error: 'None' });
}

export function noContent(): EmulatorResponse {
	return { status: 204 };
}

export function errorEnvelope(status: number, message: string): EmulatorResponse {
	return sendJson(status, { Result: null, ResponseCode: status, Status: 'Error', Error: message });
}

/** An application error inside HTTP 200. */
export function inBodyError(responseCode: number, message: string, status = 'OK'): EmulatorResponse {
	return sendJson(200, { Result: null, ResponseCode: responseCode, Status: status, Error: message });
}

/** Thrown by handlers; turned into an error envelope by the dispatcher. */
export class VsaHttpError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

export const badRequest = (msg: string) => new VsaHttpError(400, msg);
export const notFound = (msg: string) => new VsaHttpError(404, msg);

/** Path ids are decimals; anything else fails model binding like ASP.NET does. */
export function idParam(value: string, name: string): string {
	if (!/^\d+$/.test(value))
		throw badRequest(`The request is invalid. The value '${value}' is not valid for ${name}.`);
	return BigInt(value).toString();
}

export function boolParam(value: string): boolean {
	const v = value.toLowerCase();
	if (v !== 'true' && v !== 'false') throw badRequest(`The request is invalid. The value '${value}' is not valid for Boolean.`);
	return v === 'true';
}

/** Lossless body (numbers as {@link JsonNumber}); `undefined` when empty. */
export function readBody(req: EmulatorRequest): unknown {
	if (req.rawBody.length === 0) return undefined;
	try {
		return parseJsonLossless(req.rawBody.toString('utf8'));
	} catch (e) {
		if (e instanceof JsonSyntaxError) throw badRequest(e.message);
		throw e;
	}
}

export function requireObject(body: unknown, what: string): Record<string, unknown> {
	if (body === undefined || body === null) throw badRequest(`${what} is required.`);
	if (typeof body !== 'object' || Array.isArray(body) || body instanceof JsonNumber)
		throw badRequest(
			`Cannot deserialize the current JSON ${Array.isArray(body) ? 'array (e.g. [1,2,3])' : 'value'} into type '${what}' because the type requires a JSON object (e.g. {"name":"value"}) to deserialize correctly.`,
		);
	return body as Record<string, unknown>;
}

/** A `[{"key": …, "value": …}]` body (KAT New-VSACustomField.ps1, Close-VSAAlarm.ps1): must be an array even with one element. */
export function keyValueBody(body: unknown, optional = false): Map<string, unknown> {
	if (body === undefined && optional) return new Map();
	if (!Array.isArray(body))
		throw badRequest(
			"Cannot deserialize the current JSON object (e.g. {\"name\":\"value\"}) into type 'System.Collections.Generic.List`1[System.Collections.Generic.KeyValuePair`2[System.String,System.String]]' because the type requires a JSON array (e.g. [1,2,3]) to deserialize correctly.",
		);
	const out = new Map<string, unknown>();
	for (const item of body) {
		if (!item || typeof item !== 'object' || Array.isArray(item) || item instanceof JsonNumber) throw badRequest('Each element must be an object with "key" and "value".');
		const { key, value } = item as Record<string, unknown>;
		if (typeof key !== 'string') throw badRequest('Each element must have a string "key".');
		out.set(key, value instanceof JsonNumber ? value.raw : value);
	}
	return out;
}

function where(n: JsonNumber, path: string): string {
	return `Path '${path}', line ${n.line}, position ${n.end}.`;
}

/** An integer field: integer literal (or numeric string, which Json.NET converts); `7.0` → 400. */
export function intField(obj: Record<string, unknown>, name: string, opts: { required?: boolean; big?: boolean } = {}): bigint | number | null | undefined {
	const v = obj[name];
	if (v === undefined) {
		if (opts.required) throw badRequest(`${name} is required.`);
		return undefined;
	}
	if (v === null) return null;
	let text: string;
	if (v instanceof JsonNumber) {
		if (!v.isIntegerLiteral) throw badRequest(`Input string '${v.raw}' is not a valid integer. ${where(v, name)}`);
		text = v.raw;
	} else if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) {
		text = v.trim();
	} else {
		throw badRequest(`Could not convert ${typeof v === 'string' ? `string '${v}'` : typeof v} to integer: ${name}.`);
	}
	const big = BigInt(text);
	if (opts.big) return big;
	if (big > 2147483647n || big < -2147483648n) throw badRequest(`Value was either too large or too small for an Int32. Path '${name}'.`);
	return Number(big);
}

export function numberField(obj: Record<string, unknown>, name: string): number | null | undefined {
	const v = obj[name];
	if (v === undefined || v === null) return v as null | undefined;
	if (v instanceof JsonNumber) return v.toNumber();
	if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
	throw badRequest(`Could not convert ${typeof v} to decimal: ${name}.`);
}

export function strField(obj: Record<string, unknown>, name: string, opts: { required?: boolean } = {}): string | null | undefined {
	const v = obj[name];
	if (v === undefined || v === null || v === '') {
		if (opts.required) throw badRequest(`${name} is required.`);
		return v as null | undefined;
	}
	if (v instanceof JsonNumber) return v.raw;
	if (typeof v === 'string') return v;
	if (typeof v === 'boolean') return v ? 'True' : 'False';
	throw badRequest(`Unexpected character encountered while parsing value: {. Path '${name}'.`);
}

export function boolField(obj: Record<string, unknown>, name: string): boolean | undefined {
	const v = obj[name];
	if (v === undefined || v === null) return undefined;
	if (typeof v === 'boolean') return v;
	if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
	throw badRequest(`Could not convert ${v instanceof JsonNumber ? `'${v.raw}'` : typeof v} to boolean: ${name}.`);
}

/** A nested array field that must be a JSON array even with one element (KAT VSAModule/CHANGELOG.md, New-VSAOrganization -CustomFields). */
export function arrayField(obj: Record<string, unknown>, name: string, elementType: string): unknown[] | undefined {
	const v = obj[name];
	if (v === undefined || v === null) return undefined;
	if (!Array.isArray(v))
		throw badRequest(
			`Cannot deserialize the current JSON object (e.g. {"name":"value"}) into type 'System.Collections.Generic.List\`1[${elementType}]' because the type requires a JSON array (e.g. [1,2,3]) to deserialize correctly. Path '${name}'.`,
		);
	return v;
}
