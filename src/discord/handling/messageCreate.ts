import { ChannelType, type Message, type ThreadChannel } from 'discord.js';
import type { PendingQuestion } from '../../state/types.ts';
import type { BotContext } from '../context.ts';
import { answerMessage, computeAnswer, recordAnswered, rememberTurn, settlePending } from '../functions/answerQuestion.ts';
import { firstNoticeInWindow, takeQuestion } from '../fairUse/questionAllowance.ts';
import { REACTIONS } from '../render/reactions.ts';
import { APOLOGY, react, replyToMessage, sendToChannel, unreact } from '../util/respond.ts';
import { chitChatKind, type ChitChat } from './chitChat.ts';
import { classifyMessage, threadNameFor, USAGE_HINT, type MessageRoute } from './classifyMessage.ts';
import { stripMentions } from './mentions.ts';

type AnsweredRoute = Exclude<MessageRoute, { kind: 'ignore' }>;

/** The user mentioned the bot, or the role Discord made for it (what the mention list offers under the bot's name). */
function mentionsBot(message: Message, botId: string): boolean {
  if (message.mentions.users.has(botId)) return true;
  const botRole = message.guild?.roles.botRoleFor(botId);
  return botRole != null && (message.mentions.roles.has(botRole.id) || message.content.includes(`<@&${botRole.id}>`));
}

/**
 * The conversation of the bot answer a message replies to. An answer is linked once sent; if the process died right
 * after sending, the answer itself (delivered with the reply, so no request is needed) names the question it answered,
 * which was linked before sending.
 */
async function conversationOfReply(ctx: BotContext, message: Message, botId: string): Promise<string | undefined> {
  const repliedTo = message.reference?.messageId;
  if (!repliedTo) return undefined;
  const linked = await ctx.store.conversations.ofMessage(repliedTo);
  if (linked) return linked;
  const answer = message.channel.messages.cache.get(repliedTo);
  if (answer?.author.id !== botId) return undefined;
  const question = answer.reference?.messageId;
  const viaQuestion = question ? await ctx.store.conversations.ofMessage(question) : undefined;
  if (viaQuestion) return viaQuestion;
  const interactionId = answer.interactionMetadata?.id;
  return interactionId && (await ctx.store.conversations.has(`ask-${interactionId}`)) ? `ask-${interactionId}` : undefined;
}

async function routeOf(ctx: BotContext, message: Message, botId: string): Promise<MessageRoute> {
  const channel = message.channel;
  return classifyMessage({
    fromBot: message.author.bot || message.webhookId !== null || message.system,
    mentionsBot: mentionsBot(message, botId),
    channelId: message.channelId,
    inDirectMessage: channel.isDMBased(),
    inBotThread: channel.isThread() && (channel.ownerId === botId || (await ctx.store.conversations.has(channel.id))),
    repliedConversation: await conversationOfReply(ctx, message, botId),
    askChannelIds: ctx.config.discord.askChannelIds,
  });
}

/**
 * The thread for a new question: the one the bot already started on the message (an answer sent again after a
 * restart), else a new one when the channel allows it. Undefined means: answer inline.
 */
async function threadFor(message: Message, question: string): Promise<ThreadChannel | undefined> {
  if (message.thread) return message.thread.ownerId === message.client.user.id ? message.thread : undefined;
  const type = message.channel.type;
  if ((type !== ChannelType.GuildText && type !== ChannelType.GuildAnnouncement) || message.hasThread) return undefined;
  return message.startThread({ name: threadNameFor(question) });
}

async function answerMessageQuestion(ctx: BotContext, message: Message, route: AnsweredRoute, question: string): Promise<void> {
  // A new question starts a conversation named after its message (a thread started on it gets the same id).
  const conversationId = route.kind === 'follow-up' ? route.conversationId : message.id;
  let queued: Promise<void> | undefined;
  const computed = await computeAnswer(
    ctx,
    {
      question,
      userHash: ctx.hashUser(message.author.id),
      guildId: message.guildId,
      channelId: message.channelId,
      source: route.source,
      history: route.kind === 'follow-up' ? await ctx.store.conversations.history(conversationId) : [],
    },
    () => (queued = react(message, REACTIONS.queued)),
  );
  await rememberTurn(ctx, computed, conversationId, message.id);
  const body = await answerMessage(ctx, computed, conversationId);
  // The question's id as nonce: sent again after a restart, the answer is not posted twice.
  const once = { nonce: message.id };

  let sent: Message | undefined;
  // A new question gets a thread (REPLY_MODE=thread) unless the question itself was unusable.
  if (route.kind === 'new' && ctx.config.discord.replyMode === 'thread' && !computed.answer.notice) {
    try {
      const thread = await threadFor(message, question);
      if (thread?.isSendable()) sent = await sendToChannel(thread, body, once);
    } catch (error) {
      // Missing "Create Public Threads" permission and the like: answer inline rather than not at all.
      ctx.logger.warn({ err: error, channelId: message.channelId }, 'could not open a thread; replying inline');
    }
  }
  sent ??= await replyToMessage(message, body, once);
  await recordAnswered(ctx, computed, { conversationId, messageId: sent.id });
  if (queued) void queued.then(() => unreact(message, REACTIONS.queued));
}

/** Thanks and greetings to the bot get a reaction; the rest of chit-chat, and anything said to a whole ask channel, nothing. */
async function acknowledge(ctx: BotContext, message: Message, route: AnsweredRoute, kind: ChitChat): Promise<void> {
  const emoji = kind === 'thanks' ? REACTIONS.thanks : kind === 'greeting' ? REACTIONS.greeting : undefined;
  if (emoji && route.source !== 'ask-channel') await react(message, emoji);
  ctx.logger.info({ event: 'not_a_question', kind, source: route.source, messageId: message.id }, 'chit-chat, not answered');
}

const pendingOf = (message: Message, acceptedAt: number): PendingQuestion => ({
  kind: 'message',
  key: `message:${message.id}`,
  acceptedAt,
  channelId: message.channelId,
  guildId: message.guildId,
  messageId: message.id,
});

export interface MessageOptions {
  /** Set when answering, after a restart, a question the previous process accepted (it passed the rate limit then). */
  recovered?: { acceptedAt: number };
}

/**
 * Answers mentions, direct messages, messages in ASK_CHANNEL_IDS, follow-ups in the bot's threads and replies to its
 * answers; chit-chat gets a reaction at most. Each accepted question is remembered as pending until its answer is
 * sent, so a process that dies in between answers it after the restart; while shutting down, new questions are only
 * remembered.
 */
export function createMessageHandler(ctx: BotContext): (message: Message, options?: MessageOptions) => Promise<void> {
  return async (message, options = {}) => {
    const botId = message.client.user.id;
    let route: MessageRoute = { kind: 'ignore' };
    try {
      route = await routeOf(ctx, message, botId);
      if (route.kind === 'ignore') return;
      const question = stripMentions(message.content);
      if (!question) {
        // Without the Message Content intent, unmentioned messages arrive empty: stay quiet rather than nag.
        // A mention or a DM (whose text always arrives) with no question (a sticker, an attachment) gets the hint.
        if (route.source === 'mention' || route.source === 'direct-message') await replyToMessage(message, { content: USAGE_HINT });
        return;
      }
      const chat = chitChatKind(question);
      if (chat) return await acknowledge(ctx, message, route, chat);
      const pending = pendingOf(message, options.recovered?.acceptedAt ?? Date.now());
      if (ctx.work.draining) {
        await ctx.store.pending.add(pending);
        ctx.logger.info({ event: 'deferred', messageId: message.id }, 'shutting down: question kept for after the restart');
        return;
      }
      if (!options.recovered) {
        const limit = await takeQuestion(ctx, message.author.id);
        if (!limit.allowed) {
          // One reaction per user per window; no reply, so a burst cannot delay anyone's answers.
          const notice = await firstNoticeInWindow(ctx, message.author.id);
          if (notice) await react(message, REACTIONS.rateLimited);
          ctx.logger.info({ event: 'rate_limited', userHash: ctx.hashUser(message.author.id), messageId: message.id, notice }, 'question over the rate limit');
          return;
        }
      }
      if (message.channel.isSendable()) message.channel.sendTyping().catch(() => undefined);
      await ctx.store.pending.add(pending);
      await settlePending(ctx, pending.key, answerMessageQuestion(ctx, message, route, question));
    } catch (error) {
      ctx.logger.error({ err: error, channelId: message.channelId, messageId: message.id }, 'failed to answer a message');
      // Apologise only to messages addressed to the bot (the state store may have failed before the route was known),
      // and not while shutting down: the question is kept, and the next start answers it.
      const addressed = route.kind !== 'ignore' || mentionsBot(message, botId);
      if (addressed && !ctx.work.draining) await replyToMessage(message, { content: APOLOGY }).catch(() => undefined);
    }
  };
}
