import type { Message, RepliableInteraction } from 'discord.js';
import type { PendingQuestion } from '../../state/types.ts';
import type { BotContext } from '../context.ts';
import { liveReply, replyToMessage, type DeferredReply } from '../util/respond.ts';
import { answerMessage, computeAnswer, recordAnswered, rememberTurn, settlePending } from './answerQuestion.ts';

export type InteractionQuestion = Extract<PendingQuestion, { kind: 'interaction' }>;

export function queuedNotice(ahead: number): string {
  return `⏳ Queued: ${ahead} question${ahead === 1 ? '' : 's'} ahead of yours. The answer will appear here.`;
}

/** The pending record of a deferred interaction's question: everything needed to finish it after a restart. */
export function interactionQuestion(
  ctx: BotContext,
  interaction: RepliableInteraction,
  question: string,
  source: InteractionQuestion['source'],
  replyTo?: Message,
): InteractionQuestion {
  return {
    kind: 'interaction',
    key: `interaction:${interaction.id}`,
    acceptedAt: Date.now(),
    channelId: interaction.channelId ?? '',
    guildId: interaction.guildId,
    question,
    userHash: ctx.hashUser(interaction.user.id),
    source,
    // Replies to the answer continue this conversation.
    conversationId: `ask-${interaction.id}`,
    applicationId: interaction.applicationId,
    token: interaction.token,
    ...(replyTo ? { replyTo: { channelId: replyTo.channelId, messageId: replyTo.id } } : {}),
  };
}

/**
 * Computes and delivers the answer to an interaction's question: into its deferred reply or, with `target` ("Ask
 * about this message"), as a reply to that message, the private "thinking…" then removed. A notice about the question
 * itself (too long, no words) stays private. While the answer waits for a slot, the deferred reply says it is queued.
 */
export async function answerInteractionQuestion(ctx: BotContext, q: InteractionQuestion, reply: DeferredReply, target?: Message): Promise<void> {
  let queued: Promise<unknown> | undefined;
  const computed = await computeAnswer(
    ctx,
    { question: q.question, userHash: q.userHash, guildId: q.guildId, channelId: q.channelId, source: q.source, history: [] },
    (ahead) => (queued = reply.edit({ content: queuedNotice(ahead) }).catch(() => undefined)),
  );
  await queued;
  const publicReply = target && !computed.answer.notice ? target : undefined;
  await rememberTurn(ctx, computed, q.conversationId, publicReply?.id);
  const body = await answerMessage(ctx, computed, q.conversationId);
  let sent: { id: string } | undefined;
  if (publicReply) {
    try {
      sent = await replyToMessage(publicReply, body, { nonce: q.key });
      await reply.remove().catch(() => undefined);
    } catch (error) {
      // No permission to post in that channel (a user-installed app, say): the answer goes to the asker alone.
      ctx.logger.warn({ err: error, channelId: q.channelId }, 'could not reply to the message; answering privately');
    }
  }
  sent ??= await reply.edit(body);
  await recordAnswered(ctx, computed, { conversationId: q.conversationId, messageId: sent.id });
}

/**
 * Remembers a deferred interaction's question as pending, answers it, and forgets it once answered. While the bot
 * shuts down it is only remembered: the next process finishes the deferred reply (its token lasts 15 minutes).
 */
export async function answerDeferred(ctx: BotContext, interaction: RepliableInteraction, q: InteractionQuestion, target?: Message): Promise<void> {
  await ctx.store.pending.add(q);
  if (ctx.work.draining) {
    ctx.logger.info({ event: 'deferred', interactionId: interaction.id }, 'shutting down: question kept for after the restart');
    return;
  }
  await settlePending(ctx, q.key, answerInteractionQuestion(ctx, q, liveReply(interaction), target));
}
