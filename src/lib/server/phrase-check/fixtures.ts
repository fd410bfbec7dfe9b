/** Test helpers: the real rules file and small transcript builders. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadRules } from './rules';
import type { Speaker, Turn } from './vtt';

export const CONTENT_DIR = fileURLToPath(new URL('../../../../content/', import.meta.url));
export const RULES_SOURCE = readFileSync(`${CONTENT_DIR}checker/phrase-rules.md`, 'utf8');
export const RULES = loadRules(RULES_SOURCE);

/** Turns from `[speaker, text]` pairs, one second each. */
export function turns(...lines: [Speaker, string][]): Turn[] {
	return lines.map(([speaker, text], i) => ({ line: i + 1, speaker, text, start: i, end: i + 1 }));
}

export const agent = (text: string): Turn[] => turns(['agent', text]);
