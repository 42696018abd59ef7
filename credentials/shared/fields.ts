import type { INodeProperties } from 'n8n-workflow';

/** The TLS opt-out both credentials offer, worded the same way in each. */
export const allowUnauthorizedCertsField: INodeProperties = {
	displayName: 'Ignore SSL Issues (Insecure)',
	name: 'allowUnauthorizedCerts',
	type: 'boolean',
	default: false,
	description:
		'Whether to connect even if the certificate is self-signed or untrusted. Only for on-premises servers you trust; prefer installing a trusted certificate.',
};
