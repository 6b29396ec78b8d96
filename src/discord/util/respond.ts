import {
  MessageFlags,
  Routes,
  type ButtonInteraction,
  type Client,
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

export interface SendOptions {
  /**
   * Makes the send idempotent: Discord returns the message already sent with this nonce (by this bot, in the last
   * few minutes) instead of posting it twice, when an answer is sent again after a restart. At most 25 characters.
   */
  nonce?: string;
}

function payload(body: ReplyBody) {
  return { content: truncate(body.content, LIMITS.content), components: body.components ?? [], allowedMentions: NO_MENTIONS };
}

const idempotent = (options: SendOptions) => (options.nonce ? { nonce: options.nonce.slice(-25), enforceNonce: true } : {});

export function replyToMessage(message: Message, body: ReplyBody, options: SendOptions = {}): Promise<Message> {
  return message.reply({ ...payload(body), failIfNotExists: false, ...idempotent(options) });
}

export function sendToChannel(channel: SendableChannels, body: ReplyBody, options: SendOptions = {}): Promise<Message> {
  return channel.send({ ...payload(body), ...idempotent(options) });
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

/**
 * The deferred reply of an interaction: edited when the answer is ready, or removed when the answer went elsewhere.
 * Made from the live interaction, or, after a restart, from its application id and token (valid 15 minutes).
 */
export interface DeferredReply {
  edit(body: ReplyBody): Promise<{ id: string }>;
  remove(): Promise<void>;
}

export function liveReply(interaction: RepliableInteraction): DeferredReply {
  return {
    edit: (body) => editInteractionReply(interaction, body),
    remove: async () => {
      await interaction.deleteReply();
    },
  };
}

export function storedReply(client: Client, applicationId: string, token: string): DeferredReply {
  const route = Routes.webhookMessage(applicationId, token);
  return {
    edit: async (body) => {
      const p = payload(body);
      const data = { content: p.content, components: p.components, allowed_mentions: { parse: [], replied_user: false } };
      return (await client.rest.patch(route, { body: data, auth: false })) as { id: string };
    },
    remove: async () => {
      await client.rest.delete(route, { auth: false });
    },
  };
}

/**
 * A reaction by the bot: the light acknowledgement for chit-chat, queued and rate-limited questions. Reactions are
 * not messages: they do not wait behind answers in the channel's send queue. Failures (no permission) are ignored.
 */
export function react(message: Message, emoji: string): Promise<void> {
  return message.react(emoji).then(
    () => undefined,
    () => undefined,
  );
}

export function unreact(message: Message, emoji: string): Promise<void> {
  return message.client.rest.delete(Routes.channelMessageOwnReaction(message.channelId, message.id, encodeURIComponent(emoji))).then(
    () => undefined,
    () => undefined,
  );
}

export const APOLOGY = 'Sorry, something went wrong while answering that. Please try again in a moment.';
