import { RichTextBlock, TextRun } from '@microsoft/teams.cards';

/**
 * Request text is the requester's, so it never goes where Adaptive Cards read markdown (TextBlock,
 * FactSet): it goes into TextRuns, which hosts show as literal text, after control and bidi characters
 * are taken out (they could forge line breaks or disguise a value) and long text is cut.
 */
export function literal(text: string, options: { multiline?: boolean } = {}): TextRun {
  return new TextRun(clean(text, LITERAL_MAX, options.multiline ?? false));
}

/** The most characters one line of request text takes on a card. */
export const LITERAL_MAX = 600;

export function literalBlock(lines: readonly string[], options: { subtle?: boolean; multiline?: boolean } = {}): RichTextBlock {
  const runs = lines.flatMap((line, i) => {
    const run = literal(line, options);
    if (options.subtle) run.withIsSubtle(true);
    return i === 0 ? [run] : [new TextRun('\n'), run];
  });
  return new RichTextBlock().withInlines(...runs);
}

/** Line breaks survive only where a value may span lines (a justification, a comment). */
export function clean(text: string, maxLength: number, multiline: boolean): string {
  const flat = (multiline ? text.replace(/\r\n?/g, '\n') : text)
    .replace(multiline ? /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g : /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .trim();
  return flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
}
