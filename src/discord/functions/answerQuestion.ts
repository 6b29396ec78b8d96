import type { Answer, Turn } from '../../answer/types.ts';
import { turnOf } from '../../answer/followUp.ts';
import type { BotContext } from '../context.ts';
import { answerButtons } from '../render/components.ts';
import { renderAnswer, type RenderedAnswer } from '../render/answer.ts';
import type { ReplyBody } from '../util/respond.ts';
import { noteAnswered } from './noteOutcome.ts';

export type QuestionSource = 'mention' | 'ask-channel' | 'thread' | 'reply-chain' | 'direct-message' | 'slash' | 'more-passages';

export interface QuestionInput {
  question: string;
  userId: string;
  guildId: string | null;
  channelId: string;
  source: QuestionSource;
  /** Earlier turns of the conversation this question continues. */
  history: Turn[];
  /** Passages already shown (for "More passages"). */
  skip?: number;
}

export interface ComputedAnswer {
  input: QuestionInput;
  answer: Answer;
  rendered: RenderedAnswer;
  startedAt: number;
}

/** Asks the engine, waiting for a free slot when too many answers are being computed at once. */
export async function computeAnswer(ctx: BotContext, input: QuestionInput): Promise<ComputedAnswer> {
  const startedAt = Date.now();
  const answer = await ctx.answerSlots.run(() =>
    ctx.engine.answer(input.question, { history: input.history, maxPassages: ctx.config.answers.maxPassages, skip: input.skip }),
  );
  return { input, answer, rendered: renderAnswer(answer), startedAt };
}

/** The message for an answer: its text, plus buttons when it quotes passages (their state is stored for restarts). */
export async function answerMessage(ctx: BotContext, computed: ComputedAnswer, conversationId: string | undefined): Promise<ReplyBody> {
  const { answer, rendered, input } = computed;
  if (rendered.shown === 0) return { content: rendered.content };
  const key = await ctx.store.answers.save({
    question: input.question,
    history: input.history,
    skip: input.skip ?? 0,
    shown: rendered.shown,
    chunkIds: rendered.chunkIds,
    conversationId,
    createdAt: Date.now(),
    sections: answer.passages.slice(0, rendered.shown).map((p) => p.citation),
  });
  const more = rendered.shown < answer.passages.length || answer.hasMore;
  return { content: rendered.content, components: answerButtons(key, more) };
}

/** Remembers the exchange (when it belongs to a conversation) and writes the one log line per answered question. */
export async function recordAnswered(ctx: BotContext, computed: ComputedAnswer, where: { conversationId?: string; messageId?: string }): Promise<void> {
  const turn = turnOf(computed.answer);
  if (where.conversationId && turn) await ctx.store.conversations.recordTurn(where.conversationId, turn, where.messageId);
  else if (where.conversationId && where.messageId) await ctx.store.conversations.linkMessage(where.messageId, where.conversationId);
  await noteAnswered(ctx, computed);
  const { input, answer, rendered } = computed;
  ctx.logger.info(
    {
      event: 'answered',
      source: input.source,
      latencyMs: Date.now() - computed.startedAt,
      engineMs: answer.timings.totalMs,
      abstained: answer.abstained,
      notice: answer.notice !== undefined,
      chunkIds: rendered.chunkIds,
      followUp: input.history.length > 0,
      guildId: input.guildId,
      channelId: input.channelId,
      userHash: ctx.hashUser(input.userId),
    },
    'answered question',
  );
}
