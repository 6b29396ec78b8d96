import path from 'node:path';
import dotenv from 'dotenv';
import { PROJECT_ROOT } from './config.ts';

/** Loads `.env` from the project root into process.env (real environment variables win). Entry points call this once. */
export function loadEnvFile(): void {
  dotenv.config({ path: path.join(PROJECT_ROOT, '.env'), quiet: true });
}
