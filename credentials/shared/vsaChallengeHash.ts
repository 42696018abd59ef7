import { createHash, randomInt } from 'crypto';

/**
 * Kaseya VSA 9.x legacy password login ("challenge hash"), as documented on Kaseya's
 * "Password Authentication" help page (topic 37320, R9.3–R9.5):
 *   pass2  = SHA-256( hex(SHA-256(password + username)) + rand2 )
 *   pass1  = SHA-1(   hex(SHA-1(password + username))   + rand2 )
 *   rpass2 = SHA-256(password), rpass1 = SHA-1(password)   (the algorithm text; Kaseya's own sample
 *            puts the covered hashes here instead, so servers evidently validate pass2/pass1)
 * Hex is lower-case over UTF-8 bytes; the comma-joined `key=value` string is Base64-encoded and sent
 * as `Authorization: Basic <base64>` to GET /api/v1.0/auth.
 */
export interface ChallengeHashFields {
	user: string;
	pass2: string;
	pass1: string;
	rand2: string;
	rpass2: string;
	rpass1: string;
	twofapass?: string;
}

const hex = (algorithm: 'sha256' | 'sha1', text: string): string =>
	createHash(algorithm).update(text, 'utf8').digest('hex');

export function challengeHashFields(username: string, password: string, rand2: string): ChallengeHashFields {
	return {
		user: username,
		pass2: hex('sha256', hex('sha256', password + username) + rand2),
		pass1: hex('sha1', hex('sha1', password + username) + rand2),
		rand2,
		rpass2: hex('sha256', password),
		rpass1: hex('sha1', password),
	};
}

/** Joins the fields in Kaseya's documented order: user, pass2, pass1, rand2, rpass2, rpass1[, twofapass]. */
export function challengeHashPayload(fields: ChallengeHashFields): string {
	const order: Array<keyof ChallengeHashFields> = ['user', 'pass2', 'pass1', 'rand2', 'rpass2', 'rpass1', 'twofapass'];
	const text = order
		.filter((key) => fields[key] !== undefined)
		.map((key) => `${key}=${fields[key]}`)
		.join(',');
	return Buffer.from(text, 'utf8').toString('base64');
}

/** A fresh random decimal for every login, so a captured header cannot be replayed with a new nonce. */
export function freshRand2(): string {
	return String(randomInt(10_000_000, 2 ** 47));
}

/** The `Authorization` header value for GET /auth. */
export function vsaAuthHeader(method: 'personalAccessToken' | 'password', username: string, secret: string, rand2 = freshRand2()): string {
	if (method === 'personalAccessToken') {
		return `Basic ${Buffer.from(`${username}:${secret}`, 'utf8').toString('base64')}`;
	}
	return `Basic ${challengeHashPayload(challengeHashFields(username, secret, rand2))}`;
}
