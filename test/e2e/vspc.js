'use strict';
/**
 * The VSPC trigger cases of the e2e suite, with their own setup: which jobs they change (`pick`, read
 * only, before publishing) and the change itself through the VSPC emulator's control API (`change`),
 * returning what the next poll must emit. scripts/e2e.js calls them like any case that carries `pick`
 * and `change`, so a product's e2e knowledge stays in its own file.
 */

/** Jobs of an active company whose last session succeeded, with no run in progress and no alarm yet. */
function quietJobs(emu) {
	const store = emu.vspc.store;
	const activeOrgs = new Set(store.companies.filter((co) => co.status === 'Active').map((co) => co.instanceUid));
	const alarmed = new Set(store.alarms.map((a) => a.object.objectName));
	return store.jobs.filter((j) => activeOrgs.has(j.organizationUid) && j.status === 'Success' && !store.runs.has(j.instanceUid) && !alarmed.has(j.name));
}

const VSPC_TRIGGER_CASES = [
	{
		// Items: { event, alarm: <active alarm>, status, time, company } (eventItem in the trigger's poll.ts).
		key: 'vspcAlarm', id: 'e2eTrgVspcAlrm01', product: 'vspc', event: 'alarmTriggered', object: 'alarm',
		pollPath: /\/api\/v3\/alarms\/active$/i, itemId: (i) => i && i.alarm && i.alarm.instanceUid,
		needs: 'a quiet VSPC job (active company, last session Success, no alarm)',
		pick: (emu) => quietJobs(emu)[0],
		change: async (emu, control, job) => {
			const message = 'e2e: job session finished with error';
			const raised = await control('vspc', 'raiseAlarm', { jobUid: job.instanceUid, status: 'Error', message });
			const activationUid = raised.lastActivation && raised.lastActivation.instanceUid;
			return {
				id: String(raised.instanceUid), what: `new Error alarm on VSPC job "${job.name}"`,
				extra: (i) => i.status === 'Error' && !!i.alarm && !!i.alarm.lastActivation && i.alarm.lastActivation.instanceUid === activationUid && i.alarm.lastActivation.message === message
					&& !!i.company && i.company.instanceUid === job.organizationUid,
				detail: (i) => `, ${i.status} at ${i.time}, company ${i.company ? i.company.name : 'none'}`,
			};
		},
	},
	{
		// Items: { event, job: <backup server job>, result, finishedAt, failureMessage, company }. A Warning
		// session is final at once (a Failed one is held for the job's retry interval + 5 min).
		key: 'vspcJob', id: 'e2eTrgVspcJob001', product: 'vspc', event: 'jobFinished', object: 'job',
		pollPath: /\/api\/v3\/infrastructure\/backupServers\/jobs$/i, itemId: (i) => i && i.job && i.job.instanceUid,
		needs: 'a second quiet VSPC job (the alarm case takes the first)',
		pick: (emu) => {
			const jobs = quietJobs(emu);
			return jobs.length >= 2 ? jobs[jobs.length - 1] : undefined;
		},
		change: async (emu, control, job) => {
			// durationSec 0: the session has ended (Warning) by the next poll however close to it the change comes.
			const failureMessage = 'e2e: 1 of 12 VMs processed with warnings';
			await control('vspc', 'runJob', { jobUid: job.instanceUid, attempts: [{ result: 'Warning', durationSec: 0, failureMessage }] });
			return {
				id: String(job.instanceUid), what: `VSPC job "${job.name}" Success → session ended Warning`,
				extra: (i) => i.result === 'Warning' && i.failureMessage === failureMessage && !!i.job && i.job.lastRun !== job.lastRun && !!i.company && i.company.instanceUid === job.organizationUid,
				detail: (i) => `, result ${i.result}, finished ${i.finishedAt}, company ${i.company ? i.company.name : 'none'}`,
			};
		},
	},
];

module.exports = { VSPC_TRIGGER_CASES };
