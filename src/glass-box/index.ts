/**
 * jose-by-hand/glass-box: SHA-256, HMAC-SHA-256, AES and GCM written out step by step
 * from their specifications, with no imports at all, so that every intermediate value
 * can be looked at. For reading and for tests only: see docs/08-inside-the-primitives.md
 * for why production code must use node:crypto instead.
 */

export { aesEncryptBlock } from './aes.ts'
export { gcmDecrypt, gcmEncrypt } from './gcm.ts'
export { gf128Multiply } from './gf128.ts'
export { ghash } from './ghash.ts'
export { hmacSha256 } from './hmac.ts'
export { sha256 } from './sha256.ts'
