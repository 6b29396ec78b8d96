import type { Answer, Turn } from '../../answer/types.ts';
import { turnOf } from '../../answer/followUp.ts';
import type { BotContext } from '../context.ts';
import { answerButtons } from '../render/components.ts';
import { renderAnswer, type RenderedAnswer } from '../render/answer.ts';
import type { ReplyBody } from '../util/respond.ts';
import { noteAnswered } from './noteOutcome.ts';

export type QuestionSource = 'mention' | 'ask-channel' | 'thread' | 'reply-chain' | 'direct-message' | 'slash' | 'message-command' | 'more-passages';

export interface QuestionInput {
  /** What is asked, mentions already removed (see stripMentions): it is stored with turns, buttons and votes. */
  question: string;
  /** Salted hash of the asker's id (the id itself is never stored or logged). */
  userHash: string;
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

/**
 * Asks the engine, waiting for a free slot when too many answers are being computed at once; `onQueued` is called
 * at once when the question has to wait (with how many are ahead), so the asker can be shown that it is queued.
 */
export async function computeAnswer(ctx: BotContext, input: QuestionInput, onQueued?: (ahead: number) => void): Promise<ComputedAnswer> {
  const startedAt = Date.now();
  const answer = await ctx.answerSlots.run(
    () => ctx.engine.answer(input.question, { history: input.history, maxPassages: ctx.config.answers.maxPassages, skip: input.skip }),
    onQueued,
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

/**
 * Before the answer is sent: remembers the turn and links the question's message to the conversation (both durable),
 * so that a reply to an answer that reached Discord finds its conversation even if the process dies right after.
 */
export async function rememberTurn(ctx: BotContext, computed: ComputedAnswer, conversationId: string, questionMessageId?: string): Promise<void> {
  const turn = turnOf(computed.answer);
  if (turn) {
    const last = (await ctx.store.conversations.history(conversationId)).at(-1);
    // An answer sent again after a restart is the same turn, not a second one.
    if (last?.question !== turn.question || last.searchedFor !== turn.searchedFor) await ctx.store.conversations.recordTurn(conversationId, turn);
  }
  if (questionMessageId) await ctx.store.conversations.linkMessage(questionMessageId, conversationId);
}

/**
 * After the send: links the answer's message to its conversation, counts the answer in the metrics (an abstention also
 * as an unanswered question) and writes the one log line per answered question.
 */
export async function recordAnswered(ctx: BotContext, computed: ComputedAnswer, where: { conversationId?: string; messageId?: string }): Promise<void> {
  if (where.conversationId && where.messageId) await ctx.store.conversations.linkMessage(where.messageId, where.conversationId);
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
      userHash: input.userHash,
    },
    'answered question',
  );
}

/**
 * Waits for the answer to a pending question, then forgets the question. A failure while the bot shuts down (the
 * connection closed under a send that ran out of time) keeps it, so the next start answers it; any other failure is
 * the caller's to apologise for.
 */
export async function settlePending(ctx: BotContext, key: string, answering: Promise<void>): Promise<void> {
  try {
    await answering;
  } catch (error) {
    if (!ctx.work.draining) await ctx.store.pending.remove(key);
    throw error;
  }
  await ctx.store.pending.remove(key);
}
