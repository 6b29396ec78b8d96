import { ChannelType, type Message } from 'discord.js';
import type { BotContext } from '../context.ts';
import { answerMessage, computeAnswer, recordAnswered } from '../functions/answerQuestion.ts';
import { rateLimitNotice, takeQuestion } from '../fairUse/questionAllowance.ts';
import { APOLOGY, replyToMessage, sendToChannel } from '../util/respond.ts';
import { classifyMessage, stripBotMention, threadNameFor, USAGE_HINT, type MessageRoute } from './classifyMessage.ts';

async function routeOf(ctx: BotContext, message: Message, botId: string): Promise<MessageRoute> {
  const channel = message.channel;
  const repliedTo = message.reference?.messageId;
  return classifyMessage({
    fromBot: message.author.bot || message.webhookId !== null || message.system,
    mentionsBot: message.mentions.users.has(botId),
    channelId: message.channelId,
    inDirectMessage: channel.isDMBased(),
    inBotThread: channel.isThread() && (channel.ownerId === botId || (await ctx.store.conversations.has(channel.id))),
    repliedConversation: repliedTo ? await ctx.store.conversations.ofMessage(repliedTo) : undefined,
    askChannelIds: ctx.config.discord.askChannelIds,
  });
}

/** Can this message get a thread of its own? (Only top-level messages in text or announcement channels.) */
function canOpenThread(message: Message): boolean {
  const type = message.channel.type;
  return (type === ChannelType.GuildText || type === ChannelType.GuildAnnouncement) && !message.hasThread;
}

async function answerMessageQuestion(ctx: BotContext, message: Message, route: Exclude<MessageRoute, { kind: 'ignore' }>, question: string): Promise<void> {
  const conversationId = route.kind === 'follow-up' ? route.conversationId : undefined;
  if (message.channel.isSendable()) message.channel.sendTyping().catch(() => undefined);

  const computed = await computeAnswer(ctx, {
    question,
    userId: message.author.id,
    guildId: message.guildId,
    channelId: message.channelId,
    source: route.source,
    history: conversationId ? await ctx.store.conversations.history(conversationId) : [],
  });

  // A new question gets a thread (REPLY_MODE=thread) unless the question itself was unusable.
  if (route.kind === 'new' && ctx.config.discord.replyMode === 'thread' && !computed.answer.notice && canOpenThread(message)) {
    try {
      const thread = await message.startThread({ name: threadNameFor(question) });
      const sent = await sendToChannel(thread, await answerMessage(ctx, computed, thread.id));
      await recordAnswered(ctx, computed, { conversationId: thread.id, messageId: sent.id });
      return;
    } catch (error) {
      // Missing "Create Public Threads" permission and the like: answer inline rather than not at all.
      ctx.logger.warn({ err: error, channelId: message.channelId }, 'could not open a thread; replying inline');
    }
  }
  const id = conversationId ?? message.id;
  const sent = await replyToMessage(message, await answerMessage(ctx, computed, id));
  await recordAnswered(ctx, computed, { conversationId: id, messageId: sent.id });
}

/** Answers mentions, direct messages, messages in ASK_CHANNEL_IDS, follow-ups in the bot's threads and replies to its answers. */
export function createMessageHandler(ctx: BotContext): (message: Message) => Promise<void> {
  return async (message) => {
    const botId = message.client.user.id;
    let route: MessageRoute = { kind: 'ignore' };
    try {
      route = await routeOf(ctx, message, botId);
      if (route.kind === 'ignore') return;
      const question = stripBotMention(message.content, botId);
      if (!question) {
        // Without the Message Content intent, unmentioned messages arrive empty: stay quiet rather than nag.
        // A mention or a DM (whose text always arrives) with no question (a sticker, an attachment) gets the hint.
        if (route.source === 'mention' || route.source === 'direct-message') await replyToMessage(message, { content: USAGE_HINT });
        return;
      }
      const limit = await takeQuestion(ctx, message.author.id);
      if (!limit.allowed) {
        await replyToMessage(message, { content: rateLimitNotice(limit.retryAfterMs) });
        return;
      }
      await answerMessageQuestion(ctx, message, route, question);
    } catch (error) {
      ctx.logger.error({ err: error, channelId: message.channelId, messageId: message.id }, 'failed to answer a message');
      // Apologise only to messages addressed to the bot (the state store may have failed before the route was known).
      if (route.kind !== 'ignore' || message.mentions.users.has(botId)) await replyToMessage(message, { content: APOLOGY }).catch(() => undefined);
    }
  };
}
