/**
 * The two lossless parses give identical results: the scanner + JSON.parse (parseJsonLossless, used
 * everywhere, Node 20 and up) and Node ≥ 21's JSON.parse with the source text (parseJsonWithSource).
 * Jest runs on the Node of the checkout; when that has no source text, the comparison runs in a
 * Node ≥ 21 child process (the pinned n8n runtime's Node, scripts/n8n-runtime.js) on the same file.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import ts from 'typescript';

import { JSON_PARSE_HAS_SOURCE, parseJsonLossless, quoteLongIntegers } from '../../nodes/shared/json';

const CASES: Array<[string, string]> = [
	['15 to 26 digits', '{"a":123456789012345,"b":1234567890123456,"c":12345678901234567890,"d":12345678901234567890123456}'],
	['14 digits stay numbers', '{"a":12345678901234,"b":-1234567890123}'],
	['negatives', '{"a":-123456789012345,"b":-12345678901234567890123456,"c":-1,"d":-12345678901234}'],
	['exponents and fractions are never quoted', '{"a":1234567890123456e2,"b":1234567890123456.5,"c":1E20,"d":-123456789012345.0,"e":1.5e-7,"f":123456789012345E+3}'],
	['nested arrays', '[123456789012345,[1,[234567890123456789,[-345678901234567890,2.5]]],{"x":[456789012345678901234]}]'],
	['digits inside strings, escaped quotes and backslashes', '{"s":"id 123456789012345678 \\" 123456789012345678","t":"\\\\","u":123456789012345678,"v":"\\\\\\"12345678901234567\\"","w":"\\u0022 99999999999999999"}'],
	['whitespace and a VSA envelope', ' {\n "TotalRecords" : 2 ,\n "Result" : [ { "AgentId" : 979868787875855 , "OrgId" : 12345678901234567890123456 , "Online" : 1 } , { "AgentId" : 220710206424293 , "OrgId" : null , "Online" : 0 } ],\n "ResponseCode" : 0, "Status" : "OK", "Error" : "None" }\n'],
	['scalars', '123456789012345'],
	['small scalar', '-42'],
	['empty containers and literals', '{"a":[],"b":{},"c":true,"d":false,"e":null}'],
];

describe('lossless JSON: the scanner', () => {
	it('keeps 15–26-digit integers exact as strings, everything else as JSON.parse reads it', () => {
		expect(parseJsonLossless(CASES[0][1])).toEqual({ a: '123456789012345', b: '1234567890123456', c: '12345678901234567890', d: '12345678901234567890123456' });
		expect(parseJsonLossless(CASES[1][1])).toEqual({ a: 12345678901234, b: -1234567890123 });
		expect(parseJsonLossless(CASES[2][1])).toEqual({ a: '-123456789012345', b: '-12345678901234567890123456', c: -1, d: -12345678901234 });
		expect(parseJsonLossless(CASES[3][1])).toEqual(JSON.parse(CASES[3][1]));
		expect(parseJsonLossless(CASES[4][1])).toEqual(['123456789012345', [1, ['234567890123456789', ['-345678901234567890', 2.5]]], { x: ['456789012345678901234'] }]);
		expect(parseJsonLossless(CASES[5][1])).toEqual({ ...JSON.parse(CASES[5][1]), u: '123456789012345678' });
		expect(parseJsonLossless(CASES[7][1])).toBe('123456789012345');
	});

	it('returns the very same text when nothing needs quoting, and stops at an unterminated string', () => {
		const text = '{"a":1,"b":"x"}';
		expect(quoteLongIntegers(text)).toBe(text);
		expect(quoteLongIntegers('{"a":"never closed 123456789012345678')).toBe('{"a":"never closed 123456789012345678');
	});
});

/** parseJsonLossless vs parseJsonWithSource for every case, in a Node that has the source text. */
function compareIn(nodeBin: string): { hasSource: boolean; results: Array<{ name: string; scanned: string; native: string }> } {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'json-lossless-'));
	try {
		const source = fs.readFileSync(path.join(__dirname, '../../nodes/shared/json.ts'), 'utf8');
		const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2021 } }).outputText;
		fs.writeFileSync(path.join(dir, 'json.js'), js);
		fs.writeFileSync(path.join(dir, 'cases.json'), JSON.stringify(CASES));
		const script = `
			const j = require(${JSON.stringify(path.join(dir, 'json.js'))});
			const cases = require(${JSON.stringify(path.join(dir, 'cases.json'))});
			const results = cases.map(([name, text]) => ({ name, scanned: JSON.stringify(j.parseJsonLossless(text)), native: JSON.stringify(j.parseJsonWithSource(text)) }));
			process.stdout.write(JSON.stringify({ hasSource: j.JSON_PARSE_HAS_SOURCE, results }));`;
		const child = spawnSync(nodeBin, ['-e', script], { encoding: 'utf8' });
		if (child.status !== 0) throw new Error(`${nodeBin} failed: ${child.stderr}`);
		return JSON.parse(child.stdout);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** A Node ≥ 21: this one, or the pinned n8n runtime's when it is installed. */
function nodeWithSource(): string | undefined {
	if (JSON_PARSE_HAS_SOURCE) return process.execPath;
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const runtime = require('../../scripts/n8n-runtime');
	const nodeBin: string = runtime.cacheDir ? path.join(runtime.cacheDir(), 'node', 'node_modules', `node-${process.platform}-${process.arch}`, 'bin', 'node') : '';
	return nodeBin && fs.existsSync(nodeBin) ? nodeBin : undefined;
}

describe('lossless JSON: Node ≥ 21 source text gives the same result as the scanner', () => {
	const nodeBin = nodeWithSource();
	const run = nodeBin ? it : it.skip;

	run(`on 15–26-digit IDs, negatives, exponents, nested arrays, escapes (in ${nodeBin ?? 'no Node ≥ 21 found: install the pinned runtime, node scripts/n8n-runtime.js'})`, () => {
		const { hasSource, results } = compareIn(nodeBin!);
		expect(hasSource).toBe(true);
		expect(results).toHaveLength(CASES.length);
		for (const r of results) expect({ name: r.name, result: r.native }).toEqual({ name: r.name, result: r.scanned });
		// And the scanner there agrees with the scanner here.
		for (const r of results) expect(JSON.parse(r.scanned)).toEqual(parseJsonLossless(CASES.find(([name]) => name === r.name)![1]));
	});
});
