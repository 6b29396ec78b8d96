import { ShardClientUtil, type Client, type Message } from 'discord.js';
import { BOT_TIMING } from '../../config/tuning.ts';
import type { BotContext } from '../context.ts';
import { answerInteractionQuestion } from '../functions/interactionAnswer.ts';
import type { MessageOptions } from '../handling/messageCreate.ts';
import type { PendingQuestion } from '../../state/types.ts';
import { replyToMessage, storedReply } from '../util/respond.ts';

export const RESTART_APOLOGY = "Sorry — I restarted before I could answer this, and it's been a while. Please ask again.";

async function fetchMessage(client: Client, where: { channelId: string; messageId: string }): Promise<Message> {
  const channel = await client.channels.fetch(where.channelId);
  if (!channel?.isTextBased()) throw new Error(`channel ${where.channelId} is not a text channel`);
  return channel.messages.fetch(where.messageId);
}

/**
 * Whether this process answers a pending question after a restart: the store is shared by every shard, and each
 * recovers the questions of the servers its shard serves (DMs: shard 0, where Discord sends them), so two shards
 * starting together answer each question once. A shard count that changed between the runs is fine: the guild id
 * says which shard serves the server now.
 */
export function ownsPending(client: Client, q: PendingQuestion): boolean {
  if (!client.shard) return true;
  const shard = q.guildId === null ? 0 : ShardClientUtil.shardIdForGuildId(q.guildId, client.shard.count);
  return client.shard.ids.includes(shard);
}

/**
 * Answers the questions an earlier process accepted and never answered (it was killed, or shut down with answers
 * still in flight): recent ones get their answer, in the thread or reply they would have had; older ones an apology
 * (a message; an interaction's token has expired by then); what cannot be reached any more is dropped.
 */
export async function recoverPending(
  ctx: BotContext,
  client: Client,
  onMessage: (message: Message, options: MessageOptions) => Promise<void>,
  now = Date.now(),
): Promise<void> {
  const pending = (await ctx.store.pending.list()).filter((q) => ownsPending(client, q));
  if (pending.length > 0) ctx.logger.info({ event: 'recovering', questions: pending.length }, 'answering questions left by the previous process');
  for (const q of pending) {
    const age = now - q.acceptedAt;
    try {
      if (q.kind === 'message' && age <= BOT_TIMING.answerPendingWithinMs) {
        await onMessage(await fetchMessage(client, q), { recovered: { acceptedAt: q.acceptedAt } });
      } else if (q.kind === 'message' && age <= BOT_TIMING.apologiseWithinMs) {
        await replyToMessage(await fetchMessage(client, q), { content: RESTART_APOLOGY }, { nonce: q.messageId });
      } else if (q.kind === 'interaction' && age <= BOT_TIMING.answerPendingWithinMs) {
        const target = q.replyTo ? await fetchMessage(client, q.replyTo).catch(() => undefined) : undefined;
        await answerInteractionQuestion(ctx, q, storedReply(client, q.applicationId, q.token), target);
      }
    } catch (error) {
      ctx.logger.warn({ err: error, key: q.key }, 'could not answer a question left by the previous process');
    }
    await ctx.store.pending.remove(q.key);
  }
}
