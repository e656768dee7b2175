/**
 * Text for a terminal from values anyone who can write an exemption chooses (display names, ids, the
 * details that quote them, error messages): escape sequences are removed whole, every other control
 * character, line separator and bidirectional override is dropped or made a space, so a hostile value
 * can neither move the cursor, recolour, retitle or clear the terminal, nor fake a line of the report.
 */
// CSI (ESC [ … final), OSC (ESC ] … BEL or ST), other ESC-introduced sequences (ESC + one character).
const ESCAPE_SEQUENCES = /\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[\s\S]?/g;
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
// The rest of C0, DEL, C1, and the bidirectional embeddings, overrides and isolates.
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function terminalText(value: string): string {
  return value.replace(ESCAPE_SEQUENCES, '').replace(LINE_BREAKS, ' ').replace(CONTROLS, '');
}
