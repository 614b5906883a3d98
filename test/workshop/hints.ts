/**
 * Hints, from a nudge to nearly the answer, shown one at a time: `hint N` prints the
 * next one and remembers (in .progress.json) how far the participant has read.
 * Each names the docs section or the helper in the starter that does the work, so a
 * hint sends the participant back to the material rather than to the solution.
 */

import type { WorkshopLayout } from './paths.ts'
import { countHint, readProgress } from './progress.ts'
import type { StepId } from './steps.ts'

export const HINTS: Readonly<Record<StepId, readonly string[]>> = {
  '1': [
    "Encoding is one line: Node's Buffer speaks base64url (no padding) with toString('base64url'). A string is encoded as UTF-8 first (Buffer.from(input)); bytes need only asBuffer(input), a Buffer view without copying.",
    'Decoding: work out how many bytes the length promises before you decode. 4 characters carry 3 bytes; 2 characters left over carry 1 byte, 3 carry 2; 1 left over carries less than a byte and is never valid (return undefined).',
    'The last character of a 2- or 3-character tail has unused low bits (4 or 2 of them). They must be zero, or the same bytes have several spellings (docs/01-base64url.md, "Decoding: how many spellings"). ALPHABET, just above your functions, holds each character at the index that is its 6-bit value (ALPHABET.indexOf).',
    "Buffer's decoder is lenient: it takes '+' and '/', skips junk, stops at '=' and reads only the low byte of characters above U+00FF. Refuse those characters and '+' '/' yourself, decode with Buffer.from(input, 'base64url'), and return undefined unless it produced exactly the number of bytes the length promises. Return ownedBytes(...) of the result: a short Buffer can be a window into memory shared with others.",
  ],
  '2': [
    'hmac(): createHmac(algorithm.hash, key), update with the signing input, digest(). The signing input is ASCII, so its UTF-8 bytes (the default) are exactly its characters.',
    "signCompact(): encode the payload first (toBytes(payload, 'payload'), then encodeBase64url). The header is serialised once with serializeProtectedHeader(header, JWSInvalid, 'JWS Protected Header'): JSON.stringify in the caller's member order, refusing what has no UTF-8 form. It returns the segment and the header as a recipient will read it.",
    'Check that header as a recipient would before you sign: checkCrit (a crit you do not implement), checkNoBareB64 (b64 without crit, RFC 7797 §6), then signingAlgorithm() (alg present and implemented) and checkSigningKey(). A header you would refuse on receipt is refused on signing too.',
    'Signing input = header segment + "." + payload segment; token = signing input + "." + base64url(MAC). If your token differs from jose\'s in the header segment only, look at member order: never sort or rebuild the header.',
  ],
  '3': [
    'macEquals(): check the lengths first (a MAC of another length is simply wrong, and timingSafeEqual throws on unequal lengths), then return crypto.timingSafeEqual(expected, received). That call is the rule of this step: not ===, not Buffer.equals, and not a loop of your own.',
    "verifyCompact() starts with the caller, not the token: ownProperties(options, 'options'), algorithmsOption(own.algorithms), checkVerificationKey(key, algorithms), maxTokenLengthOption(own.maxTokenLength), then splitCompact(token, 3, maxLength, JWSInvalid).",
    "Then the header: decodeProtectedHeader(segment, JWSInvalid, 'JWS Protected Header'), checkCrit and checkNoBareB64. alg must be a non-empty string (JWSInvalid) AND in the caller's list (JOSEAlgNotAllowed); a key too short for this alg is JWSInvalid. The token never picks its own algorithm (RFC 8725 §3.1).",
    'The MAC is computed over the text you received: the header segment + "." + the payload segment, never a re-serialised header (docs/02-jws-hs256.md, "Verifying: MAC the received bytes"). The payload segment must be ASCII (isAscii) before the MAC, the signature canonical base64url, and the payload is decoded only after the MAC matched.',
  ],
  '4': [
    "checkRegisteredClaimTypes(): iss, sub, jti strings; aud a string or an array of strings; exp, nbf, iat finite numbers (Number.isFinite: JSON 1e400 parses to Infinity). A wrong type is JWTClaimValidationFailed with reason 'invalid': the invalid() helper below it builds that error.",
    "validateClaims() runs in jose's order: options (durationOption for clockTolerance and maxTokenAge, a valid currentDate), the types, typ (compare with normalizeMediaType), presence, then iss, sub, aud (reason 'check_failed'), then the clock.",
    "Presence, in jose's order: iss (when issuer is set), sub (subject), aud (audience), iat (maxTokenAge), then requiredClaims from the LAST one listed to the first. requirePresent() throws reason 'missing' for the first one absent. aud passes when the token's audiences and the expected ones share at least one value.",
    'The clock is whole seconds: epochSeconds(currentDate). nbf fails when nbf > now + tolerance (JWTClaimValidationFailed, claim nbf); exp fails when exp <= now - tolerance (JWTExpired): at the second exp names, the token has already expired (RFC 7519 §4.1.4). With maxTokenAge: age = now - iat; too old when age - tolerance > maxAge (JWTExpired, claim iat); issued in the future when age < -tolerance.',
  ],
  '5': [
    "encryptCompact(): toBytes(plaintext, 'plaintext'); serializeProtectedHeader(header, JWEInvalid, 'JWE Protected Header') once, then checkCrit, checkEncryptionHeader (it returns the GCM algorithm) and checkContentKey(key, algorithm). The IV is options.iv (exactly 12 bytes, else TypeError) or randomIv(): a fresh one every call, never a constant (docs/04-jwe-dir-a256gcm.md, \"The 96-bit IV\").",
    'The AAD is the ASCII of the encoded header segment: utf8Encode() of the segment serializeProtectedHeader returned. Not the JSON, not the object. The token is header.(empty).iv.ciphertext.tag, each base64url.',
    "decryptCompact(): options and key first (contentEncryptionAlgorithmsOption, checkDecryptionKey, maxTokenLengthOption), five segments (splitCompact), decodeProtectedHeader(…, JWEInvalid, …) and decodeSegment for the IV, ciphertext and tag, then checkCrit. A zip other than DEF is JOSENotSupported at once; alg and enc must be non-empty strings (JWEInvalid); alg 'dir' and enc in the list, else JOSEAlgNotAllowed.",
    'The encrypted key segment must be empty; the IV must be 12 bytes and the tag 16 (JWEInvalid otherwise). The AAD is the header segment exactly as received: utf8Encode(encodedHeader). gcmDecrypt() returning undefined becomes JWEDecryptionFailed; zip DEF is refused (JOSENotSupported) only after the tag verified, with the plaintext wiped, so that a forged token learns only "decryption failed".',
  ],
  '6': [
    'gcmEncrypt(): createCipheriv(algorithm.cipher, key, iv, { authTagLength: TAG_BYTES }), setAAD(aad), update(plaintext), final() (GCM adds no bytes), getAuthTag().',
    'gcmDecrypt(): createDecipheriv with the same { authTagLength: TAG_BYTES } (without it Node accepts a tag cut to 4 bytes, and 32 bits can be forged by trial), setAAD(aad), then setAuthTag(tag) and update(ciphertext).',
    'update() hands you plaintext BEFORE the tag is checked, and setAuthTag throws for a tag of the wrong length. Put setAuthTag, update and final() in one try; if anything throws, wipe the bytes (fill(0)) and return undefined; return them (ownedBytes()) only after final() succeeded (docs/04-jwe-dir-a256gcm.md, "The 128-bit tag is checked before any plaintext is released").',
  ],
  '7': [
    "signThenEncrypt(): nestedKeys(keys) checks and unpacks the two keys. The inner token is signJwt(claims, signingKey, own options); the outer header is plainEncryptionHeader(options.encryptionHeader ?? a copy of DEFAULT_NESTED_HEADER), and isNestedJwtType(outerHeader.cty) must hold (else TypeError): RFC 7519 §5.2 says cty 'JWT'.",
    'The outer JWE encrypts that compact string: encryptCompact(inner, encryptionKey, outerHeader, { iv: options.iv }).',
    'decryptThenVerify(): decryptCompact with only contentEncryptionAlgorithms and maxTokenLength; then refuse an outer header whose cty is not JWT (JWTInvalid): without that check, bare claims that nobody signed would pass. The plaintext must be strict UTF-8 (utf8DecodeStrict; JWTInvalid).',
    "Verify the inner token with verifyJwt(inner, signingKey, { ...claim options, algorithms, maxTokenLength: Number.POSITIVE_INFINITY }): the caller's cap already bounded the longer outer token, and the default cap would refuse an inner token the caller allowed. Then checkReplicatedClaims(outerHeader, payload). Return { payload, protectedHeader (the inner one), outerHeader }.",
  ],
  ghash: [
    'gf128Multiply(x, y) is SP 800-38D §6.3 Algorithm 1: Z = 0, V = Y; for i from 0 to 127: if bit i of X is set, Z ^= V; then V = V • x. Addition is XOR. The helpers word() and wordsToBlock() above your function turn a block into four 32-bit words and back.',
    "The bit order is GCM's reflected one: bit 0 of X is the MOST significant bit of byte 0 (x[0] & 0x80), bit 7 is x[0] & 0x01, bit 8 is x[1] & 0x80. The field's one is 0x80 followed by fifteen zero bytes, not 0x00…01.",
    'V • x in that order is a shift to the RIGHT by one bit across all 128 bits. If the bit shifted out on the right (the x^127 coefficient) was 1, the x^128 it became is reduced: XOR R = 0xe1 followed by fifteen zeros into V (R_TOP_WORD, on the leftmost word).',
    'ghashBlocks(h, input) is §6.4 Algorithm 2: Y = sixteen zero bytes; for each 16-byte block of input, Y = gf128Multiply(Y XOR block, h). ghashInput() (already written) builds that input from the AAD, the ciphertext and the length block.',
  ],
  bonus: [
    'Read test/workshop/bonus/naive-verifier.ts above the "Spoilers" line and ask of every check: which input makes it say yes when it should say no?',
    'Look at the loop that compares the MACs. Whose length bounds it, the one you computed or the one the sender sent?',
    'A property: for any key and payload, sign a token correctly (signCompact), then keep only the first n bytes of its MAC (n from 0 to 31) and re-encode it. A correct verifier rejects every such token; the naive one accepts some.',
  ],
}

export interface HintShown {
  /** 1-based number of the hint shown. */
  readonly number: number
  readonly total: number
  readonly text: string
  /** `true` once the last hint has been reached: the next call repeats it. */
  readonly last: boolean
}

/** The next hint for `step` (the last one again once all have been shown). */
export function nextHint(layout: WorkshopLayout, step: StepId): HintShown {
  const hints = HINTS[step]
  const number = countHint(layout, step, hints.length)
  return {
    number,
    total: hints.length,
    text: hints[number - 1] as string,
    last: number === hints.length,
  }
}

/** How many hints of `step` have been shown so far. */
export function hintsShown(layout: WorkshopLayout, step: StepId): number {
  return readProgress(layout).hintsShown[step] ?? 0
}
