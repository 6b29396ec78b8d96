/** `npm run feedback`: summarises the 👍/👎 votes (counts, worst-rated questions and passages). */
import { loadConfig } from '../src/config/config.ts';
import { loadEnvFile } from '../src/config/loadEnv.ts';
import { createLogger } from '../src/log/logger.ts';
import { runMain } from '../src/errors/runMain.ts';
import { openStateStore } from '../src/state/openStateStore.ts';
import { formatFeedbackSummary, summariseFeedback } from '../src/state/feedbackSummary.ts';

runMain(async () => {
  loadEnvFile();
  const config = loadConfig();
  const store = await openStateStore(config, createLogger('warn'));
  try {
    const { records, skipped } = await store.feedback.all();
    console.log(formatFeedbackSummary(summariseFeedback(records)));
    if (skipped > 0) console.log(`\n(${skipped} unreadable line(s) skipped.)`);
  } finally {
    await store.close();
  }
});
