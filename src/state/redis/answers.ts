import { randomBytes } from 'node:crypto';
import { parseRecords, storedAnswerSchema } from '../records.ts';
import type { AnswerState, StoredAnswer } from '../types.ts';
import type { RedisContext } from './context.ts';

const answerKey = (key: string) => `answer:${key}`;

/** Button state as JSON strings that expire STATE_KEEP_DAYS after they were saved. */
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
  };
}
