import { getProgram } from '../content';
import type { Program } from '../content/catalog';
import type { ProgramShape } from './stage-machine';

export function programOf(slug: string): Program {
	return getProgram(slug);
}

export function programShape(slug: string): ProgramShape {
	return { maxRetrains: getProgram(slug).stages.map((s) => s.maxRetrains) };
}
