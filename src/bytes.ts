/**
 * Conversions at the boundary between Node's `Buffer` world and the plain
 * `Uint8Array`s this module hands back.
 *
 * Node may hand out a `Buffer` that is a small window into a shared 8 KiB pool. Giving
 * such a view to a caller would let them read (or overwrite) unrelated bytes through
 * `.buffer`, so every byte array we return owns its whole `ArrayBuffer`.
 */

const utf8 = new TextEncoder()

// RFC 3629 decoding with `fatal: true`: malformed UTF-8 throws instead of turning into
// U+FFFD. `ignoreBOM: true` keeps a leading U+FEFF in the output so that we can see it
// and reject it; by default TextDecoder strips it silently.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** UTF-8 bytes of a string. */
export function utf8Encode(text: string): Uint8Array {
  return utf8.encode(text)
}

/** Strict UTF-8 decoding; `undefined` for malformed input or a leading byte-order mark. */
export function utf8DecodeStrict(bytes: Uint8Array): string | undefined {
  let text: string
  try {
    text = strictUtf8.decode(bytes)
  } catch {
    return undefined
  }
  if (text.charCodeAt(0) === 0xfeff) return undefined
  return text
}

/** Bytes from a string (as UTF-8) or from bytes (as they are); anything else is a programmer error. */
export function toBytes(input: Uint8Array | string, label: string): Uint8Array {
  if (typeof input === 'string') return utf8Encode(input)
  // A Uint16Array or a DataView would be signed as its raw memory: refused, as jose does.
  if (input instanceof Uint8Array) return input
  throw new TypeError(`${label} must be a Uint8Array or a string`)
}

/**
 * An exact-size `Uint8Array` that owns its memory. When Node gave us a `Buffer` that
 * already owns its whole `ArrayBuffer` we re-type it without copying; otherwise we copy.
 */
export function ownedBytes(buffer: Uint8Array): Uint8Array {
  // As long as its ArrayBuffer, a view can only start at offset 0.
  if (buffer.buffer.byteLength === buffer.byteLength) {
    return new Uint8Array(buffer.buffer, 0, buffer.byteLength)
  }
  // Allocate, then one memcpy: `new Uint8Array(buffer)` copies element by element.
  const copy = new Uint8Array(buffer.byteLength)
  copy.set(buffer)
  return copy
}

/** A `Buffer` view over the same memory, for Node APIs that want one. No copy. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** `true` when every UTF-16 code unit of `text` is ASCII (U+0000–U+007F). */
export function isAscii(text: string): boolean {
  return !/[\u0080-\uffff]/.test(text)
}
