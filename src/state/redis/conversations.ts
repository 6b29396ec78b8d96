import type { Turn } from '../../answer/types.ts';
import { parseRecords, turnSchema } from '../records.ts';
import type { ConversationState } from '../types.ts';
import type { RedisContext } from './context.ts';

const conversationKey = (id: string) => `conversation:${id}`;
const messageKey = (id: string) => `message:${id}`;

/**
 * A conversation is a list of its last turns (JSON), a message link a string; both expire STATE_KEEP_DAYS after
 * their last write. With HISTORY_TURNS=0 one turn is still kept, so the conversation is still known.
 */
export function redisConversations({ client, degrade, keepMs, turns }: RedisContext): ConversationState {
  return {
    history: (id) =>
      turns === 0
        ? Promise.resolve([])
        : degrade.read('history', async () => parseRecords(await client.lrange(conversationKey(id), -turns, -1), turnSchema).records, (): Turn[] => []),
    has: (id) => degrade.read('conversation', async () => (await client.exists(conversationKey(id))) === 1, () => false),
    recordTurn: (id, turn, botMessageId) =>
      degrade.write('turn', async () => {
        const key = conversationKey(id);
        const tx = client.multi().rpush(key, JSON.stringify(turn)).ltrim(key, -Math.max(turns, 1), -1).pexpire(key, keepMs);
        if (botMessageId) tx.set(messageKey(botMessageId), id, 'PX', keepMs);
        await tx.exec();
      }),
    ofMessage: (messageId) => degrade.read('message link', async () => (await client.get(messageKey(messageId))) ?? undefined, () => undefined),
    linkMessage: (botMessageId, id) => degrade.write('message link', () => client.set(messageKey(botMessageId), id, 'PX', keepMs)),
  };
}
