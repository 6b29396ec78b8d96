/**
 * `npm run feedback`: what users could not get answered, for the corpus owner: the most frequent unanswered
 * questions (every abstention and every 👎, with the closest sections) and the worst-rated answers and passages.
 */
import { loadConfig } from '../src/config/config.ts';
import { loadEnvFile } from '../src/config/loadEnv.ts';
import { createLogger } from '../src/log/logger.ts';
import { runMain } from '../src/errors/runMain.ts';
import { openStateStore } from '../src/state/openStateStore.ts';
import { formatFeedbackSummary, summariseFeedback } from '../src/state/feedbackSummary.ts';
import { formatGaps, gapsInForce, summariseGaps } from '../src/state/gapsReport.ts';

runMain(async () => {
  loadEnvFile();
  const config = loadConfig();
  const store = await openStateStore(config, createLogger('warn'));
  try {
    const votes = await store.feedback.all();
    const gaps = await store.unanswered.all();
    const standing = gapsInForce(gaps.records, votes.records);
    console.log(formatGaps(summariseGaps(standing), standing.length));
    console.log('');
    console.log(formatFeedbackSummary(summariseFeedback(votes.records)));
    const skipped = votes.skipped + gaps.skipped;
    if (skipped > 0) console.log(`\n(${skipped} unreadable line(s) skipped.)`);
  } finally {
    await store.close();
  }
});
