'use strict';
/** Tiny flag parser: --name value, --name=value, boolean --flag; env fallbacks. */
const { UserError } = require('./log');
const { parsePort } = require('./ports');

/**
 * @param {string[]} argv
 * @param {Record<string, {type: 'port'|'string'|'boolean'|'number', env?: string, default?: any, help?: string}>} spec
 */
function parseArgs(argv, spec) {
	const out = {};
	for (const [name, s] of Object.entries(spec)) {
		const envVal = s.env ? process.env[s.env] : undefined;
		out[name] = envVal !== undefined && envVal !== '' ? convert(name, s, envVal, `${s.env}`) : s.default;
	}
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (!a.startsWith('--')) throw new UserError(`unexpected argument "${a}" (see --help)`);
		const [flag, inline] = a.slice(2).split(/=(.*)/s, 2);
		const name = flag.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
		const s = spec[name];
		if (!s) throw new UserError(`unknown option --${flag} (see --help)`);
		if (s.type === 'boolean') {
			out[name] = inline === undefined ? true : !/^(false|0|no)$/i.test(inline);
			continue;
		}
		const value = inline !== undefined ? inline : argv[++i];
		if (value === undefined) throw new UserError(`--${flag} needs a value`);
		out[name] = convert(name, s, value, `--${flag}`);
	}
	return out;
}

function convert(name, s, value, label) {
	if (s.type === 'port') return parsePort(value, label);
	if (s.type === 'number') {
		const n = Number(value);
		if (!Number.isFinite(n)) throw new UserError(`${label}: "${value}" is not a number`);
		return n;
	}
	if (s.type === 'boolean') return !/^(false|0|no|)$/i.test(String(value));
	return String(value);
}

function helpText(usage, spec) {
	const lines = [usage, '', 'Options:'];
	for (const [name, s] of Object.entries(spec)) {
		const flag = `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}${s.type === 'boolean' ? '' : ' <value>'}`;
		const extra = [s.env ? `env ${s.env}` : '', s.default !== undefined && s.type !== 'boolean' ? `default ${s.default}` : ''].filter(Boolean).join(', ');
		lines.push(`  ${flag.padEnd(26)} ${s.help || ''}${extra ? ` (${extra})` : ''}`);
	}
	return lines.join('\n');
}

module.exports = { parseArgs, helpText };
