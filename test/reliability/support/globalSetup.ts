import { resetFigures } from './figures';

export default async function globalSetup(): Promise<void> {
	resetFigures();
}
