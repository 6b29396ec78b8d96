import { randomBytes } from 'node:crypto';
import { parseRecords, storedAnswerSchema } from '../records.ts';
import type { AnswerState, StoredAnswer } from '../types.ts';
import type { RedisContext } from './context.ts';

const answerKey = (key: string) => `answer:${key}`;
const moreKey = (key: string) => `more-claimed:${key}`;

/**
 * Button state as JSON strings that expire STATE_KEEP_DAYS after they were saved. "More passages" is used up by a
 * SET NX: of two presses at once, on any shards, only one sets it.
 */
export function redisAnswers({ client, degrade, keepMs }: RedisContext): AnswerState {
  return {
    save: async (answer) => {
      // The key is made here, so the buttons can be sent even while the write waits for Redis.
      const key = randomBytes(9).toString('base64url');
      await degrade.write('button state', () => client.set(answerKey(key), JSON.stringify(answer), 'PX', keepMs));
      return key;
    },
    get: (key) =>
      degrade.read(
        'button state',
        async () => {
          const json = await client.get(answerKey(key));
          return json === null ? undefined : parseRecords([json], storedAnswerSchema).records[0];
        },
        (): StoredAnswer | undefined => undefined,
      ),
    claimMore: (key) =>
      degrade.read(
        'button state',
        async () => {
          const [exists, claimed] = (await client.multi().exists(answerKey(key)).set(moreKey(key), '1', 'PX', keepMs, 'NX').exec()) ?? [];
          return exists?.[1] === 1 && claimed?.[1] === 'OK';
        },
        // Without Redis nothing says whether the page was shown already: show none rather than twice.
        () => false,
      ),
  };
}
