/** `npm run bench-state`: state write latency (SQLite, Redis), answers per second with 2 shards, RSS per shard. Needs redis-server. */
import { Command } from 'commander';
import { runMain } from '../src/errors/runMain.ts';
import { formatStateBench, measureShardBurst, measureWriteLatency } from './lib/benchState.ts';

const program = new Command()
  .name('bench-state')
  .option('--json', 'print one JSON object on stdout')
  .option('--writes <n>', 'state writes of each kind per backend', '2000')
  .option('--burst <n>', 'questions in the burst', '200')
  .showHelpAfterError();

runMain(async () => {
  const options = program.parse().opts<{ json?: boolean; writes: string; burst: string }>();
  const writes = await measureWriteLatency(Number(options.writes));
  const burst = await measureShardBurst(Number(options.burst));
  console.log(options.json ? JSON.stringify({ writes, burst }) : formatStateBench(writes, burst));
});
