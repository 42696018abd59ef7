#!/usr/bin/env node
'use strict';
/**
 * Headless-Chromium check of a running `npm start`: logs in, opens an example workflow and a
 * Kaseya VSA node in it, and saves a screenshot. playwright-core is NOT a dependency of this repo:
 * install it in a temp dir and pass its path.
 *
 *   (cd /tmp/pw && npm i playwright-core)
 *   node scripts/lib/screenshot.js --playwright /tmp/pw/node_modules/playwright-core \
 *     [--url http://localhost:5678] [--workflow exOfflineAgentTix] [--node "Get offline agents"] \
 *     [--out docs/screenshot-editor.png] [--chromium /usr/bin/chromium] [--execute=false]
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { parseArgs } = require('./args');
const { DEMO_OWNER } = require('./n8n');
const { REPO } = require('./build');

const SPEC = {
	playwright: { type: 'string', env: 'PLAYWRIGHT_CORE', default: '/tmp/pw/node_modules/playwright-core' },
	url: { type: 'string', default: 'http://localhost:5678' },
	workflow: { type: 'string', default: 'exOfflineAgentTix' },
	node: { type: 'string', default: 'Get offline agents' },
	out: { type: 'string', default: path.join(REPO, 'docs', 'screenshot-editor.png') },
	chromium: { type: 'string', default: '/usr/bin/chromium' },
	execute: { type: 'boolean', default: true, help: 'click "Execute step" so the output panel shows real data' },
};

async function main() {
	const o = parseArgs(process.argv.slice(2), SPEC);
	// eslint-disable-next-line global-require, import/no-dynamic-require
	const { chromium } = require(o.playwright);
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
	const browser = await chromium.launchPersistentContext(profile, {
		executablePath: o.chromium,
		headless: true,
		viewport: { width: 1600, height: 1000 },
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
			'--disable-component-update', '--disable-sync'],
	});
	try {
		const page = browser.pages()[0] || await browser.newPage();
		await page.goto(`${o.url}/signin`, { waitUntil: 'networkidle' });
		await page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(DEMO_OWNER.email);
		await page.locator('input[type="password"]').first().fill(DEMO_OWNER.password);
		await page.keyboard.press('Enter');
		await page.waitForURL((u) => !String(u).includes('/signin'), { timeout: 30000 });
		await page.goto(`${o.url}/workflow/${o.workflow}`, { waitUntil: 'networkidle' });
		const label = page.getByText(o.node, { exact: true }).first();
		await label.waitFor({ timeout: 30000 });
		const card = page.locator('[data-test-id="canvas-node"]').filter({ hasText: o.node }).first();
		const target = (await card.count()) ? card : label;
		await page.waitForTimeout(1000);
		await target.dblclick({ force: true });
		await page.locator('[data-test-id="ndv"], .ndv-wrapper, [class*="ndv"]').first().waitFor({ timeout: 30000 });
		await page.waitForTimeout(1500);
		if (o.execute) {
			await page.locator('[data-test-id="node-execute-button"]').first().click();
			await page.getByText(/\d+ items?/).first().waitFor({ timeout: 60000 }).catch(() => {});
			await page.waitForTimeout(1500);
		}
		fs.mkdirSync(path.dirname(o.out), { recursive: true });
		await page.screenshot({ path: o.out });
		process.stdout.write(`saved ${o.out}\n`);
	} finally {
		await browser.close();
		fs.rmSync(profile, { recursive: true, force: true });
	}
}

main().catch((e) => {
	process.stderr.write(`${e.stack || e}\n`);
	process.exit(1);
});
