/**
 * SHA-256, FIPS 180-4: the constants (§4.2.2, §5.3.3), the padding (§5.1.1), the message
 * schedule and the 64 rounds of the computation (§6.2.2). Words are 32-bit and unsigned;
 * `>>> 0` brings every sum back to that range ("addition modulo 2^32", §3.2).
 */

// #region sha256-constants
/** §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K: Uint32Array = Uint32Array.of(
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
)

/** §5.3.3: the initial hash value, the first 32 bits of the fractional parts of √2, √3, √5, … √19. */
export const INITIAL_HASH: readonly number[] = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]
// #endregion sha256-constants

/** SHA-256 works on 512-bit blocks (§1, Figure 1). */
export const BLOCK_BYTES = 64

// §3.2 and §4.1.2: the six logical functions, on 32-bit words.
function rotr(x: number, n: number): number {
  return (x >>> n) | (x << (32 - n))
}
function ch(x: number, y: number, z: number): number {
  return (x & y) ^ (~x & z)
}
function maj(x: number, y: number, z: number): number {
  return (x & y) ^ (x & z) ^ (y & z)
}
function bigSigma0(x: number): number {
  return rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22)
}
function bigSigma1(x: number): number {
  return rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25)
}
function smallSigma0(x: number): number {
  return rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)
}
function smallSigma1(x: number): number {
  return rotr(x, 17) ^ rotr(x, 19) ^ (x >>> 10)
}

// #region sha256-padding
/**
 * §5.1.1: the message, a 1 bit (the byte 0x80), zeros up to 56 bytes modulo 64, then the
 * message length in bits as a 64-bit big-endian integer. A message of 55 bytes fits one
 * block; one of 56 needs two, because the length no longer fits after the 0x80.
 */
export function pad(message: Uint8Array): Uint8Array {
  const zeros = (BLOCK_BYTES + 56 - ((message.length + 1) % BLOCK_BYTES)) % BLOCK_BYTES
  const padded = new Uint8Array(message.length + 1 + zeros + 8)
  padded.set(message)
  padded[message.length] = 0x80
  // The bit length may exceed 2^32: write it as two 32-bit halves.
  const bits = message.length * 8
  const view = new DataView(padded.buffer)
  view.setUint32(padded.length - 8, Math.floor(bits / 2 ** 32))
  view.setUint32(padded.length - 4, bits >>> 0)
  return padded
}
// #endregion sha256-padding

// #region sha256-schedule
/** §6.2.2 step 1: W0..W15 are the block's words; each later word mixes four earlier ones. */
export function messageSchedule(block: Uint8Array): Uint32Array {
  const w = new Uint32Array(64)
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength)
  for (let t = 0; t < 16; t++) w[t] = view.getUint32(4 * t)
  for (let t = 16; t < 64; t++) {
    w[t] =
      smallSigma1(w[t - 2] as number) +
      (w[t - 7] as number) +
      smallSigma0(w[t - 15] as number) +
      (w[t - 16] as number)
  }
  return w
}
// #endregion sha256-schedule

/** The working variables a..h after round t, for readers who want to watch (docs chapter 8). */
export type RoundObserver = (t: number, working: readonly number[]) => void

// #region sha256-compress
/**
 * §6.2.2 steps 2–4: the 64 rounds over one block, then the new hash value
 * H(i) = H(i-1) + the working variables. `state` (H0..H7) is updated in place.
 */
export function compressBlock(
  state: Uint32Array,
  block: Uint8Array,
  observe?: RoundObserver,
): void {
  const w = messageSchedule(block)
  let a = state[0] as number
  let b = state[1] as number
  let c = state[2] as number
  let d = state[3] as number
  let e = state[4] as number
  let f = state[5] as number
  let g = state[6] as number
  let h = state[7] as number
  for (let t = 0; t < 64; t++) {
    // Sums of a few 32-bit words stay exact in a double; `>>> 0` reduces them mod 2^32.
    const t1 = h + bigSigma1(e) + ch(e, f, g) + (K[t] as number) + (w[t] as number)
    const t2 = bigSigma0(a) + maj(a, b, c)
    h = g
    g = f
    f = e
    e = (d + t1) >>> 0
    d = c
    c = b
    b = a
    a = (t1 + t2) >>> 0
    if (observe !== undefined) observe(t, [a, b, c, d, e, f, g, h])
  }
  // Step 4: a Uint32Array element keeps the sum modulo 2^32 by itself.
  const working = [a, b, c, d, e, f, g, h]
  for (let i = 0; i < 8; i++) state[i] = (state[i] as number) + (working[i] as number)
}
// #endregion sha256-compress

/** SHA-256 of `data` (FIPS 180-4 §6.2): 32 bytes. */
export function sha256(data: Uint8Array): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError('sha256 expects a Uint8Array')
  const padded = pad(data)
  const state = Uint32Array.from(INITIAL_HASH)
  for (let offset = 0; offset < padded.length; offset += BLOCK_BYTES) {
    compressBlock(state, padded.subarray(offset, offset + BLOCK_BYTES))
  }
  // §6.2.2: the digest is H0 || H1 || … || H7, each word big-endian.
  const digest = new Uint8Array(32)
  const view = new DataView(digest.buffer)
  for (let i = 0; i < 8; i++) view.setUint32(4 * i, state[i] as number)
  return digest
}
