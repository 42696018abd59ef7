import { parseJsonLossless, quoteLongIntegers } from '../../nodes/shared/json';
import { andFilters, odataId, odataString } from '../../nodes/shared/odata';
import { fillPath, joinUrl } from '../../nodes/shared/url';
import { vsaServerRoot } from '../../credentials/shared/vsaLogin';

describe('lossless JSON', () => {
	it('keeps 15–26-digit integers exact as strings', () => {
		const parsed = parseJsonLossless('{"AgentId":979868787875855,"OrgId":12345678901234567890123456,"n":42,"f":1.5,"neg":-123456789012345678}') as any;
		expect(parsed).toEqual({ AgentId: '979868787875855', OrgId: '12345678901234567890123456', n: 42, f: 1.5, neg: '-123456789012345678' });
	});
	it('leaves numbers inside strings and exponent/decimal numbers alone', () => {
		const text = '{"a":"id 123456789012345678 \\" x","b":1234567890123456.5,"c":1e20}';
		expect(quoteLongIntegers(text)).toBe(text);
	});
	it('handles arrays and nesting', () => {
		expect(parseJsonLossless('[123456789012345,[1,234567890123456789]]')).toEqual(['123456789012345', [1, '234567890123456789']]);
	});
});

describe('OData literals', () => {
	it('quotes strings and doubles embedded quotes, so item data cannot inject operators', () => {
		expect(odataString("O'Brien")).toBe("'O''Brien'");
		expect(odataString("x' or 1 eq 1 or Name eq 'y")).toBe("'x'' or 1 eq 1 or Name eq ''y'");
	});
	it('writes IDs as M-suffixed decimals and rejects non-IDs', () => {
		expect(odataId('12345678901234567890123456')).toBe('12345678901234567890123456M');
		expect(() => odataId('12 or 1 eq 1')).toThrow(/not a numeric ID/);
		expect(() => odataId('')).toThrow();
	});
	it('joins filters with and, bracketing each part', () => {
		expect(andFilters([undefined, 'A eq 1', '', 'B eq 2 or C eq 3'])).toBe('(A eq 1) and (B eq 2 or C eq 3)');
		expect(andFilters(['A eq 1'])).toBe('A eq 1');
		expect(andFilters([])).toBeUndefined();
	});
});

describe('URLs', () => {
	it('tolerates trailing slashes and a pasted /api/v1.0', () => {
		for (const raw of ['https://vsa.example.com', 'https://vsa.example.com/', 'https://vsa.example.com/api/v1.0', ' https://vsa.example.com/API/V1.0/ ']) {
			expect(vsaServerRoot(raw)).toBe('https://vsa.example.com');
		}
		expect(vsaServerRoot('https://vsa.example.com:8443/')).toBe('https://vsa.example.com:8443');
	});
	it('joins without double slashes', () => {
		expect(joinUrl('https://x/', '/api/v1.0/', '/auth')).toBe('https://x/api/v1.0/auth');
	});
	it('encodes path values so they cannot add segments', () => {
		expect(fillPath('/agents/{id}/rename/{name}', { id: '123', name: 'a/b?c' })).toBe('/agents/123/rename/a%2Fb%3Fc');
		expect(() => fillPath('/x/{missing}', {})).toThrow();
	});
});
