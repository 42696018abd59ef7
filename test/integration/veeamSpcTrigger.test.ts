/**
 * The Veeam Service Provider Console trigger in n8n's real poll context against the VSPC emulator: alarm activations
 * as a cursor stream (baseline, new, raised again, severity/company/type filters, Include Existing, manual sample) and
 * finished job sessions (Warning at once; Failed only as the final result after the job's retries; retries off: at
 * once), with the position kept when the server fails. Time moves by moving Date.now, which the emulator's clock
 * follows too, so no test waits.
 */
import type { IDataObject } from 'n8n-workflow';

import { VeeamServiceProviderConsoleApi } from '../../credentials/VeeamServiceProviderConsoleApi.credentials';
import { VeeamServiceProviderConsoleTrigger } from '../../nodes/VeeamServiceProviderConsole/VeeamServiceProviderConsoleTrigger.node';
import { startVspcEmulator, VSPC_CREDENTIALS, type VspcEmulator } from '../emulators/vspc';
import { JOB_SESSION_TEMPLATE, type BackupServerJob } from '../emulators/vspc/store';
import { failure, Poller, rl } from '../harness/helpers';

const trigger = new VeeamServiceProviderConsoleTrigger();
const MINUTE = 60_000;

let vspc: VspcEmulator;
let shiftMs = 0;
const realNow = Date.now.bind(Date);
beforeAll(async () => {
	vspc = await startVspcEmulator({ seed: 5 });
	jest.spyOn(Date, 'now').mockImplementation(() => realNow() + shiftMs);
});
afterAll(async () => {
	jest.restoreAllMocks();
	await vspc.close();
});
afterEach(() => vspc.emulator.clearFaults());

/** Moves the time of the trigger and of the emulator together. */
const later = (ms: number) => {
	shiftMs += ms;
};

function poller(parameters: IDataObject): Poller {
	const { username, password } = VSPC_CREDENTIALS.admin;
	return new Poller(trigger, { type: new VeeamServiceProviderConsoleApi(), data: { baseUrl: vspc.url, authMethod: 'password', username, password } }, parameters);
}

const company = (i: number) => vspc.store.companies[i];
const job = (type: string, c: number) => vspc.store.jobs.find((j) => j.type === type && j.organizationUid === company(c).instanceUid)!;
const of = (events: IDataObject[], j: BackupServerJob) => events.filter((e) => (e.job as IDataObject).instanceUid === j.instanceUid);

function raise(c: number, objectName: string, status: 'Error' | 'Warning' | 'Info' | 'Resolved' = 'Error', type = 'BackupServerJob') {
	return vspc.store.addAlarm({
		templateUid: JOB_SESSION_TEMPLATE,
		type,
		organizationUid: company(c).instanceUid,
		locationUid: null,
		managementAgentUid: null,
		computerName: null,
		objectUid: null,
		objectName,
		status,
		message: `Job session for "${objectName}" finished with ${status.toLowerCase()}.`,
	});
}

describe('alarmTriggered', () => {
	test('baseline, then each new activation once (a raised-again alarm fires again, a resolved one does not), with its company', async () => {
		const p = poller({ event: 'alarmTriggered' });
		expect(await p.poll()).toEqual([]);
		later(1000);
		const alarm = raise(0, 'Nightly A');
		const first = await p.poll();
		expect(first).toHaveLength(1);
		expect(first[0]).toMatchObject({ event: 'alarmTriggered', status: 'Error', alarm: { instanceUid: alarm.instanceUid }, company: { instanceUid: company(0).instanceUid, name: company(0).name } });
		expect(await p.poll()).toEqual([]);
		later(1000);
		raise(0, 'Nightly A', 'Resolved');
		expect(await p.poll()).toEqual([]);
		later(1000);
		raise(0, 'Nightly A', 'Warning');
		const again = await p.poll();
		expect(again.map((e) => [(e.alarm as IDataObject).instanceUid, e.status])).toEqual([[alarm.instanceUid, 'Warning']]);
		const filter = vspc.requests({ path: '/api/v3/alarms/active' }).pop()!.query.filter;
		expect(JSON.parse(String(filter))).toEqual([{ property: 'lastActivation.time', operation: 'greaterThanOrEqual', value: expect.any(String) }]);
	});

	test('severity, company and object type filters', async () => {
		const p = poller({ event: 'alarmTriggered', severities: ['Warning'], companyUid: rl(company(1).instanceUid), objectTypes: ['BackupServerJob'] });
		await p.poll();
		later(1000);
		raise(1, 'Filter error', 'Error');
		raise(1, 'Filter warning', 'Warning');
		raise(2, 'Other company', 'Warning');
		raise(1, 'Agent warning', 'Warning', 'BackupAgent');
		const events = await p.poll();
		expect(events.map((e) => ((e.alarm as IDataObject).object as IDataObject).objectName)).toEqual(['Filter warning']);
	});

	test('Include Existing emits the active alarms on the first poll; the manual sample writes no state', async () => {
		const p = poller({ event: 'alarmTriggered', options: { includeExisting: true } });
		const active = vspc.store.alarms.filter((a) => ['Error', 'Warning'].includes(a.lastActivation.status));
		expect((await p.poll()).map((e) => (e.alarm as IDataObject).instanceUid).sort()).toEqual(active.map((a) => a.instanceUid).sort());
		const manual = poller({ event: 'alarmTriggered' });
		const sample = await manual.poll('manual');
		expect(sample).toHaveLength(1);
		expect(['Error', 'Warning']).toContain(sample[0].status);
		expect(manual.staticData).toEqual({});
	});
});

describe('jobFinished', () => {
	test('Warning fires at once, with the company and the failure message', async () => {
		const copy = job('BackupCopy', 3);
		const p = poller({ event: 'jobFinished' });
		await p.poll();
		vspc.runJob(copy.instanceUid, [{ result: 'Warning', durationSec: 60, failureMessage: 'Warning: 2 of 9 VMs processed with warnings.' }]);
		later(61_000);
		const events = of(await p.poll(), copy);
		expect(events).toEqual([
			expect.objectContaining({ event: 'jobFinished', result: 'Warning', failureMessage: 'Warning: 2 of 9 VMs processed with warnings.', company: { instanceUid: company(3).instanceUid, name: company(3).name } }),
		]);
		expect(of(await p.poll(), copy)).toEqual([]);
	});

	test('Failed fires once, as the final result after the retries, never for an attempt that is retried', async () => {
		const vm = job('BackupVm', 1);
		const p = poller({ event: 'jobFinished' });
		await p.poll();
		vspc.runJob(vm.instanceUid, [
			{ result: 'Failed', durationSec: 60, failureMessage: 'Error: attempt 1' },
			{ result: 'Failed', durationSec: 60, failureMessage: 'Error: attempt 2' },
		]);
		const seen: IDataObject[] = [];
		later(61_000); // attempt 1 failed; its retry is due in 10 minutes
		seen.push(...of(await p.poll(), vm));
		later(9 * MINUTE);
		seen.push(...of(await p.poll(), vm));
		later(MINUTE + 10_000); // the retry runs
		seen.push(...of(await p.poll(), vm));
		later(MINUTE); // the retry failed: the last attempt
		seen.push(...of(await p.poll(), vm));
		expect(seen).toEqual([]);
		later(16 * MINUTE); // no further retry came
		const final = of(await p.poll(), vm);
		expect(final).toHaveLength(1);
		expect(final[0]).toMatchObject({ result: 'Failed', failureMessage: 'Error: attempt 2' });
		later(MINUTE);
		expect(of(await p.poll(), vm)).toEqual([]);
	});

	test('a failed attempt whose retry succeeds fires nothing; with retries off a failure fires at once', async () => {
		const vm = job('BackupVm', 2);
		const p = poller({ event: 'jobFinished' });
		await p.poll();
		vspc.runJob(vm.instanceUid, [{ result: 'Failed', durationSec: 60 }, { result: 'Success', durationSec: 60 }]);
		const seen: IDataObject[] = [];
		for (const step of [61_000, 10 * MINUTE, 61_000, 20 * MINUTE]) {
			later(step);
			seen.push(...of(await p.poll(), vm));
		}
		expect(seen).toEqual([]);

		const noRetry = job('BackupVm', 0);
		vspc.store.retry.set(noRetry.instanceUid, { isEnabled: false, retryCount: 3, awaitMinutes: 10 });
		vspc.runJob(noRetry.instanceUid, [{ result: 'Failed', durationSec: 60 }]);
		later(61_000);
		expect(of(await p.poll(), noRetry).map((e) => e.result)).toEqual(['Failed']);
	});

	test('the Results filter, Include Existing, and a failing server that leaves the position as it was', async () => {
		const p = poller({ event: 'jobFinished', results: ['Warning'], options: { includeExisting: true } });
		const now = vspc.store.jobs.map((j) => vspc.store.jobNow(j)).filter((j) => j.status === 'Warning');
		expect((await p.poll()).map((e) => (e.job as IDataObject).instanceUid).sort()).toEqual(now.map((j) => j.instanceUid).sort());
		const before = JSON.stringify(p.staticData);
		vspc.serverError(1, 520, 'backupServers/jobs');
		const e = await failure(p.poll());
		expect(e.message).toMatch(/internal error on GET \/api\/v3\/infrastructure\/backupServers\/jobs \(520\)/);
		expect(e.description).toMatch(/kept its position/);
		expect(JSON.stringify(p.staticData)).toBe(before);
	});
});
