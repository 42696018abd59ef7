'use strict';
/**
 * The whole local stack in one call, shared by `npm start`, `npm run demo` and `npm run test:e2e`
 * (and meant for later bench/queue scripts): pinned n8n runtime → build → emulators → fresh n8n user
 * folder with the package installed as a community package → demo credentials → example workflows.
 * Starting the n8n server is left to the caller (N8nInstance.start()).
 */
const fs = require('fs');
const path = require('path');
const runtime = require('../n8n-runtime');
const { buildAll, REPO } = require('./build');
const { startEmulators } = require('./emulators');
const { demoCredentials, loadExamples, prepareWorkflow } = require('./fixtures');
const { N8nInstance, installPackage, prepareUserFolder } = require('./n8n');
const { assertPortFree } = require('./ports');

/**
 * @param {{log: any, userFolder: string, fresh?: boolean, vsaPort?: number, vroPort?: number,
 *   n8nPort?: number, needServerPort?: boolean, skipBuild?: boolean, strictPackage?: boolean,
 *   examples?: boolean, extraWorkflows?: (ctx) => object[], extraCredentials?: (ctx) => object[],
 *   consoleLog?: boolean, logFile?: string, portHelp?: object, vsaOptions?: object, vroOptions?: object}} o
 *   strictPackage: fail when package.json lists a file the build did not produce (e2e); otherwise
 *   such entries are left out of the installed package.json with a warning.
 */
async function setUpStack(o) {
	const { log } = o;
	const cleanups = [];
	const stack = {
		emu: null, n8n: null, runtime: null, credentials: [], examples: [], workflows: [],
		async close() {
			while (cleanups.length) {
				const fn = cleanups.pop();
				try { await fn(); } catch (e) { log.warn(`cleanup: ${e.message}`); }
			}
		},
	};
	try {
		if (o.needServerPort) {
			await assertPortFree(o.n8nPort, { what: 'n8n editor', change: (o.portHelp && o.portHelp.n8n) || '--n8n-port <port> (or N8N_PORT=<port>)' });
		}
		stack.runtime = await log.time('checking the pinned n8n runtime (first run installs it, ~4 min)', async () => {
			const rt = await runtime.ensureRuntime({ quiet: false });
			log.info(`n8n ${rt.n8nVersion} on Node ${rt.nodeVersion} (${rt.cacheDir})`);
			return rt;
		});
		const built = await buildAll({ log, skip: o.skipBuild });
		if (o.strictPackage && built.missing.length) {
			throw new Error(`package.json lists files the build did not produce: ${built.missing.join(', ')}`);
		}

		log.step('starting the emulators ...');
		stack.emu = await startEmulators({
			vsaPort: o.vsaPort, vroPort: o.vroPort, log, portHelp: o.portHelp, vsaOptions: o.vsaOptions, vroOptions: o.vroOptions,
		});
		cleanups.push(() => stack.emu.close());
		const urls = { vsaUrl: stack.emu.vsa.url, vroUrl: stack.emu.vro.url, vspcUrl: stack.emu.vspc.url };
		stack.urls = urls;

		log.step(`preparing the n8n user folder ${path.relative(process.cwd(), o.userFolder) || o.userFolder} ...`);
		const userFolder = prepareUserFolder(o.userFolder, { fresh: o.fresh !== false });
		const pkg = installPackage(userFolder, { dropMissing: !o.strictPackage });
		log.info(`installed n8n-nodes-kaseya-veeam@${pkg.version} as a community package in ${path.relative(userFolder, pkg.dir)}`);
		for (const f of pkg.dropped) log.warn(`not installed (not built yet): ${f}`);

		stack.n8n = new N8nInstance({ userFolder, port: o.n8nPort ?? 5678, log, consoleLog: o.consoleLog, logFile: o.logFile });
		cleanups.push(() => stack.n8n.stop());

		const ctx = { ...urls, emu: stack.emu };
		stack.credentials = [...demoCredentials(urls), ...(o.extraCredentials ? o.extraCredentials(ctx) : [])];
		await log.time(`importing ${stack.credentials.length} credentials (n8n import:credentials)`, () => stack.n8n.importCredentials(stack.credentials));

		stack.examples = o.examples === false ? [] : loadExamples().map(({ file, workflow }) => ({
			file: path.relative(REPO, file), workflow: prepareWorkflow(workflow, urls),
		}));
		stack.workflows = [...stack.examples.map((e) => e.workflow), ...(o.extraWorkflows ? o.extraWorkflows(ctx) : [])];
		if (stack.workflows.length) {
			await log.time(`importing ${stack.workflows.length} workflows (n8n import:workflow)`, () => stack.n8n.importWorkflows(stack.workflows));
		}
		return stack;
	} catch (e) {
		await stack.close();
		throw e;
	}
}

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * Stop the stack on SIGINT/SIGTERM/SIGHUP (Ctrl-C, a supervisor, a closed terminal): n8n's whole
 * process group, then the emulators. A second signal exits at once (n8n-runtime.js still kills every
 * child on exit). watchParent: also stop when the parent process goes away — npm 11 forwards a
 * SIGTERM sent to npm only to the `sh -c` it runs the script in; the shell dies and this process
 * would be left running under init. (A SIGINT sent to npm alone is not forwarded at all.)
 */
function stopOnSignals(getStack, log, { exitCode = 130, watchParent = false } = {}) {
	let stopping = 0;
	const handler = (sig, label = sig) => {
		const code = SIGNAL_EXIT_CODES[sig] || 143;
		if (stopping) {
			// The same signal often arrives twice at once (forwarded by npm or `timeout` and sent to the
			// process group): only a second one a moment later means "hurry".
			if (Date.now() - stopping < 1000) return;
			log.warn(`${sig} again: exiting now`);
			process.exit(sig === 'SIGINT' ? exitCode : code);
		}
		stopping = Date.now();
		log.step(`${label}: stopping n8n and the emulators ...`);
		const stack = getStack();
		Promise.resolve(stack && stack.close()).catch((e) => log.warn(`stopping: ${e.message}`)).then(() => {
			log.ok('stopped');
			process.exit(sig === 'SIGINT' ? exitCode : code);
		});
	};
	const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
	const onSignal = (sig) => handler(sig); // Node passes the signal number second: not a label
	for (const sig of signals) process.on(sig, onSignal);
	let parentTimer = null;
	if (watchParent && process.platform !== 'win32') {
		const parent = process.ppid;
		parentTimer = setInterval(() => {
			if (process.ppid !== parent) {
				clearInterval(parentTimer);
				handler('SIGTERM', 'the parent process exited (npm was signalled?)');
			}
		}, 500);
		parentTimer.unref();
	}
	return () => {
		for (const sig of signals) process.off(sig, onSignal);
		if (parentTimer) clearInterval(parentTimer);
	};
}

function userFolderExists(dir) {
	return fs.existsSync(path.join(dir, '.n8n', 'database.sqlite'));
}

module.exports = { setUpStack, stopOnSignals, userFolderExists };
