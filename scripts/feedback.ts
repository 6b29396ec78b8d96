/** `npm run feedback`: summarises the 👍/👎 votes in data/feedback.jsonl (counts, worst-rated questions and passages). */
import { loadConfig } from '../src/config/config.ts';
import { loadEnvFile } from '../src/config/loadEnv.ts';
import { readFeedback } from '../src/discord/state/feedbackLog.ts';
import { formatFeedbackSummary, summariseFeedback } from '../src/discord/state/feedbackSummary.ts';

loadEnvFile();
try {
  const config = loadConfig();
  const { records, skipped } = await readFeedback(config.paths.data);
  console.log(formatFeedbackSummary(summariseFeedback(records)));
  if (skipped > 0) console.log(`\n(${skipped} unreadable line(s) skipped.)`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
