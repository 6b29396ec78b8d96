import { tokenize } from '../../text/tokens.ts';

/** What a message that is not a question is: the bot reacts lightly (or not at all) and quotes nothing. */
export type ChitChat = 'thanks' | 'greeting' | 'laughter' | 'acknowledgement' | 'emoji';

const words = (list: string) => new Set(list.split(/\s+/).filter(Boolean));

const THANKS = words('thanks thank thx thnx thanx ty tysm tyvm cheers appreciate appreciated merci danke gracias grazie');
const GREETINGS = words('hi hello hey heya hiya yo howdy greetings sup morning evening afternoon night gm gn bye goodbye cya welcome');
const ACKNOWLEDGEMENTS = words(`ok okay okey k kk alright sure yes yeah yep yup ya no nope nah cool nice great good awesome perfect excellent
  amazing wonderful brilliant sweet lovely wow oh ah aha hmm hm interesting neat true right indeed fair agreed same fine noted gotcha
  understood np gg`);
/** Words that only carry the ones above along: "thank you so much", "hello everyone", "got it", "that makes sense". */
const FILLER = words(`you u so much very a lot all everyone everybody guys folks there bot man dude bro mate again for the that this
  it is was i see got makes make sense too as well always really just and then now answer answers help helpful info`);
const LAUGHTER = /^(?:l+o+l+|lmf?a+o+|rofl|xd+|kek|(?:ha|he|ja|ah)(?:ha|he|ja|ah|h)*)$/;

/**
 * Whether a message is chit-chat rather than a question, decided on its words alone: no words at all (emoji,
 * punctuation), or only words of thanks, greeting, laughter and acknowledgement with their filler. A single word
 * of anything else ("Beria?", "and the navy", "who replaced him") makes it a question. Undefined for a question.
 */
export function chitChatKind(text: string): ChitChat | undefined {
  const tokens = tokenize(text);
  if (tokens.length === 0) return 'emoji';
  const social = (t: string) => THANKS.has(t) || GREETINGS.has(t) || ACKNOWLEDGEMENTS.has(t) || FILLER.has(t) || LAUGHTER.test(t);
  if (!tokens.every(social)) return undefined;
  if (tokens.some((t) => THANKS.has(t))) return 'thanks';
  if (tokens.some((t) => GREETINGS.has(t))) return 'greeting';
  if (tokens.some((t) => LAUGHTER.test(t))) return 'laughter';
  return 'acknowledgement';
}
