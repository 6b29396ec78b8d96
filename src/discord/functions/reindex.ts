import { MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import { isAppError } from '../../errors/appError.ts';
import type { BuildSummary } from '../../index/types.ts';
import type { BotContext } from '../context.ts';
import { editInteractionReply, tellPrivately } from '../util/respond.ts';

export function describeBuild(s: BuildSummary): string {
  const seconds = (s.ms / 1000).toFixed(1);
  const size = `${s.articles} article${s.articles === 1 ? '' : 's'}, ${s.sections} sections, ${s.chunks} chunks`;
  if (!s.changed) return `The corpus has not changed; the index (${size}) is up to date. Checked in ${seconds} s.`;
  return `Index rebuilt in ${seconds} s: ${size} (${s.embedded} embedded, ${s.reused} reused, ${s.removed} removed). Answers now use it.`;
}

/** /reindex — Manage Server only (checked here too: the command's default permission can be overridden per server). */
export async function reindex(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
    await tellPrivately(interaction, 'Only members with the Manage Server permission can rebuild the index.');
    return;
  }
  if (ctx.reindexing.running) {
    await tellPrivately(interaction, 'A rebuild is already running; its result will show where it was asked for.');
    return;
  }
  ctx.reindexing.running = true;
  try {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const summary = await ctx.engine.rebuild();
    ctx.logger.info({ event: 'reindexed', summary }, 'index rebuilt from /reindex');
    await editInteractionReply(interaction, { content: describeBuild(summary) });
  } catch (error) {
    if (isAppError(error, 'REINDEX_ELSEWHERE')) {
      await editInteractionReply(interaction, { content: error.message });
      return;
    }
    ctx.logger.warn({ err: error }, '/reindex failed');
    const why = error instanceof Error ? error.message : String(error);
    await editInteractionReply(interaction, { content: `The rebuild failed: ${why}\nThe previous index is still answering.` });
  } finally {
    ctx.reindexing.running = false;
  }
}
