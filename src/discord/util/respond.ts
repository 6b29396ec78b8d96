import {
  MessageFlags,
  type ButtonInteraction,
  type Message,
  type MessageMentionOptions,
  type RepliableInteraction,
  type SendableChannels,
} from 'discord.js';
import type { ButtonRow } from '../render/components.ts';
import { truncate } from '../render/cut.ts';
import { LIMITS } from '../render/limits.ts';

/**
 * The one place mentions are decided: nothing the bot sends may ping anyone, whatever a question or a quoted
 * passage contains (@everyone, @here, <@user>, <@&role>), and replies do not ping the asker either.
 * Also installed as the client default, as a second line of defence.
 */
export const NO_MENTIONS: MessageMentionOptions = { parse: [], repliedUser: false };

export interface ReplyBody {
  content: string;
  components?: ButtonRow[];
}

function payload(body: ReplyBody) {
  return { content: truncate(body.content, LIMITS.content), components: body.components ?? [], allowedMentions: NO_MENTIONS };
}

export function replyToMessage(message: Message, body: ReplyBody): Promise<Message> {
  return message.reply({ ...payload(body), failIfNotExists: false });
}

export function sendToChannel(channel: SendableChannels, body: ReplyBody): Promise<Message> {
  return channel.send(payload(body));
}

export async function replyToInteraction(interaction: RepliableInteraction, body: ReplyBody, options: { ephemeral?: boolean } = {}): Promise<void> {
  await interaction.reply({ ...payload(body), flags: options.ephemeral ? MessageFlags.Ephemeral : undefined });
}

/** Replaces the "thinking…" of a deferred reply; returns the message so follow-ups can find it. */
export function editInteractionReply(interaction: RepliableInteraction, body: ReplyBody): Promise<Message> {
  return interaction.editReply(payload(body));
}

export function followUp(interaction: RepliableInteraction, body: ReplyBody, options: { ephemeral?: boolean } = {}): Promise<Message> {
  return interaction.followUp({ ...payload(body), flags: options.ephemeral ? MessageFlags.Ephemeral : undefined });
}

/** Edits the message a button sits on (the button press is acknowledged by this). */
export async function updateButtonMessage(interaction: ButtonInteraction, body: ReplyBody): Promise<void> {
  await interaction.update(payload(body));
}

/** Changes only the buttons of the message a button sits on (acknowledges the press at once). */
export async function updateButtons(interaction: ButtonInteraction, components: ButtonRow[]): Promise<void> {
  await interaction.update({ components, allowedMentions: NO_MENTIONS });
}

/** A private one-line answer, whatever state the interaction is in. */
export async function tellPrivately(interaction: RepliableInteraction, text: string): Promise<void> {
  const body = { content: text };
  if (!interaction.deferred && !interaction.replied) {
    await replyToInteraction(interaction, body, { ephemeral: true });
  } else if (interaction.deferred && !interaction.replied && interaction.ephemeral) {
    await editInteractionReply(interaction, body);
  } else {
    // A public "thinking…" cannot become private: remove it, then answer privately.
    if (interaction.deferred && !interaction.replied) await interaction.deleteReply().catch(() => undefined);
    await followUp(interaction, body, { ephemeral: true });
  }
}

export const APOLOGY = 'Sorry, something went wrong while answering that. Please try again in a moment.';

