import type { HttpRequest } from '@azure/functions';

export type CappedBody =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly reason: 'too-large' | 'unreadable' };

/**
 * Reads the body as it streams in and stops as soon as it passes `maxBytes`: neither a missing nor an
 * understated Content-Length makes us hold more than the cap. A Content-Length that already announces
 * more is refused before a byte is read.
 */
export async function readCappedBody(request: Pick<HttpRequest, 'headers' | 'body'>, maxBytes: number): Promise<CappedBody> {
  const declared = request.headers.get('content-length')?.trim();
  if (declared && /^\d+$/.test(declared) && Number(declared) > maxBytes) return { ok: false, reason: 'too-large' };
  if (!request.body) return { ok: true, bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        // Tells the sender's side to stop; whatever it still sends is not ours to hold.
        reader.cancel('the body is over the size cap').catch(() => undefined);
        return { ok: false, reason: 'too-large' };
      }
      chunks.push(value);
    }
  } catch {
    // The client went away mid-body, or the stream broke: there is no complete body to act on.
    return { ok: false, reason: 'unreadable' };
  } finally {
    reader.releaseLock();
  }
  return { ok: true, bytes: concat(chunks, total) };
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as UTF-8 text, or undefined when they are not valid UTF-8 (no silent U+FFFD substitutions). */
export function utf8(bytes: Uint8Array): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}
