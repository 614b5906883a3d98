/**
 * The AES forward cipher for one 16-byte block, with the key expansion (FIPS 197 §5.1,
 * §5.2), for 128-, 192- and 256-bit keys. GCM only ever runs AES forwards, so the
 * inverse cipher is not here.
 *
 * The state is the 16 bytes in input order: byte r + 4c is row r, column c, as in
 * FIPS 197 §3.4. Nothing is table-driven except the S-box, which is computed below from
 * its definition (§5.1.1) instead of being pasted in.
 */

// ---------------------------------------------------------------------------------------
// GF(2^8), FIPS 197 §4: bytes are polynomials over GF(2) modulo x^8 + x^4 + x^3 + x + 1.
// ---------------------------------------------------------------------------------------

/** §4.2.1: multiplication by x. A carry out of x^7 is reduced by XOR-ing 0x1b. */
export function xtime(b: number): number {
  return ((b << 1) ^ ((b & 0x80) === 0 ? 0 : 0x1b)) & 0xff
}

/** §4.2: a • b, by adding a • x^i for every bit i of b (shift-and-add). */
function gf256Multiply(a: number, b: number): number {
  let product = 0
  let power = a
  for (let i = 0; i < 8; i++) {
    if (((b >>> i) & 1) === 1) product ^= power
    power = xtime(power)
  }
  return product
}

/** §5.1.1: the multiplicative inverse, with 0 mapped to 0. b^254 = b^-1, as b^255 = 1. */
function gf256Inverse(b: number): number {
  let result = 1
  for (let i = 0; i < 254; i++) result = gf256Multiply(result, b)
  return b === 0 ? 0 : result
}

function rotateLeft8(b: number, n: number): number {
  return ((b << n) | (b >>> (8 - n))) & 0xff
}

/**
 * §5.1.1: S(b) is the affine transformation of b's inverse:
 * b'_i = b_i ⊕ b_(i+4) ⊕ b_(i+5) ⊕ b_(i+6) ⊕ b_(i+7) ⊕ c_i with c = 0x63, which for a
 * whole byte is b ⊕ (b <<< 1) ⊕ (b <<< 2) ⊕ (b <<< 3) ⊕ (b <<< 4) ⊕ 0x63.
 */
function sBoxEntry(input: number): number {
  const b = gf256Inverse(input)
  return b ^ rotateLeft8(b, 1) ^ rotateLeft8(b, 2) ^ rotateLeft8(b, 3) ^ rotateLeft8(b, 4) ^ 0x63
}

/** The S-box (FIPS 197 Figure 7), computed once: 256 entries from the definition above. */
export const S_BOX: Uint8Array = Uint8Array.from({ length: 256 }, (_, b) => sBoxEntry(b))

// ---------------------------------------------------------------------------------------
// The round steps, FIPS 197 §5.1.1–§5.1.4. Each changes the 16-byte state in place.
// ---------------------------------------------------------------------------------------

/** §5.1.1 SubBytes: every byte through the S-box. */
export function subBytes(state: Uint8Array): void {
  for (let i = 0; i < 16; i++) state[i] = S_BOX[state[i] as number] as number
}

/** §5.1.2 ShiftRows: row r moves r places to the left, s'[r][c] = s[r][(c + r) mod 4]. */
export function shiftRows(state: Uint8Array): void {
  // A copy made with new Uint8Array, never slice(): on a Buffer, slice() is a view.
  const before = new Uint8Array(state)
  for (let r = 1; r < 4; r++) {
    for (let c = 0; c < 4; c++) state[r + 4 * c] = before[r + 4 * ((c + r) % 4)] as number
  }
}

/**
 * §5.1.3 MixColumns: each column times the fixed matrix with rows (02 03 01 01),
 * (01 02 03 01), (01 01 02 03), (03 01 01 02). 02•a is xtime(a); 03•a is xtime(a) ⊕ a.
 */
export function mixColumns(state: Uint8Array): void {
  for (let c = 0; c < 4; c++) {
    const s0 = state[4 * c] as number
    const s1 = state[4 * c + 1] as number
    const s2 = state[4 * c + 2] as number
    const s3 = state[4 * c + 3] as number
    state[4 * c] = xtime(s0) ^ (xtime(s1) ^ s1) ^ s2 ^ s3
    state[4 * c + 1] = s0 ^ xtime(s1) ^ (xtime(s2) ^ s2) ^ s3
    state[4 * c + 2] = s0 ^ s1 ^ xtime(s2) ^ (xtime(s3) ^ s3)
    state[4 * c + 3] = xtime(s0) ^ s0 ^ s1 ^ s2 ^ xtime(s3)
  }
}

/** §5.1.4 AddRoundKey: XOR with the round key, the 16 bytes of round `round` in `schedule`. */
export function addRoundKey(state: Uint8Array, schedule: Uint8Array, round: number): void {
  for (let i = 0; i < 16; i++)
    state[i] = (state[i] as number) ^ (schedule[16 * round + i] as number)
}

// ---------------------------------------------------------------------------------------
// Key expansion, FIPS 197 §5.2
// ---------------------------------------------------------------------------------------

/** The expanded key: Nr + 1 round keys of 16 bytes, one after the other. */
export interface KeySchedule {
  /** Nr: 10, 12 or 14 rounds for 16-, 24- or 32-byte keys (FIPS 197 Figure 4). */
  readonly rounds: number
  readonly bytes: Uint8Array
}

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || (key.length !== 16 && key.length !== 24 && key.length !== 32))
    throw new TypeError('an AES key must be a Uint8Array of 16, 24 or 32 bytes (FIPS 197 §5)')
}

// #region aes-key-expansion
/**
 * §5.2 KeyExpansion: Nk key words, then words w[i] = w[i - Nk] ⊕ temp, 4 × (Nr + 1) in
 * all. Every Nk-th word, temp is SubWord(RotWord(w[i - 1])) ⊕ Rcon[i / Nk]; with a
 * 256-bit key (Nk = 8) the word half-way between also goes through SubWord.
 */
export function expandKey(key: Uint8Array): KeySchedule {
  checkKey(key)
  const nk = key.length / 4
  const rounds = nk + 6
  const words = 4 * (rounds + 1)
  const w = new Uint8Array(4 * words)
  w.set(key)
  // Rcon[j] = x^(j - 1) in GF(2^8), in the word's first byte (§5.2).
  let rcon = 1
  for (let i = nk; i < words; i++) {
    const temp = w.slice(4 * (i - 1), 4 * i)
    if (i % nk === 0) {
      // RotWord: [a0, a1, a2, a3] -> [a1, a2, a3, a0]; then SubWord; then Rcon.
      const first = temp[0] as number
      temp.copyWithin(0, 1)
      temp[3] = first
      for (let k = 0; k < 4; k++) temp[k] = S_BOX[temp[k] as number] as number
      temp[0] = (temp[0] as number) ^ rcon
      rcon = xtime(rcon)
    } else if (nk > 6 && i % nk === 4) {
      for (let k = 0; k < 4; k++) temp[k] = S_BOX[temp[k] as number] as number
    }
    for (let k = 0; k < 4; k++) w[4 * i + k] = (w[4 * (i - nk) + k] as number) ^ (temp[k] as number)
  }
  return { rounds, bytes: w }
}
// #endregion aes-key-expansion

// #region aes-cipher
/**
 * §5.1 Cipher: AddRoundKey with round key 0; Nr - 1 full rounds of SubBytes, ShiftRows,
 * MixColumns and AddRoundKey; a last round without MixColumns.
 */
export function encryptBlockWithSchedule(schedule: KeySchedule, block: Uint8Array): Uint8Array {
  // A copy, so that the caller's block is left alone (a Buffer's slice() would share it).
  const state = new Uint8Array(block)
  addRoundKey(state, schedule.bytes, 0)
  for (let round = 1; round < schedule.rounds; round++) {
    subBytes(state)
    shiftRows(state)
    mixColumns(state)
    addRoundKey(state, schedule.bytes, round)
  }
  subBytes(state)
  shiftRows(state)
  addRoundKey(state, schedule.bytes, schedule.rounds)
  return state
}
// #endregion aes-cipher

/** AES of one 16-byte block under a 16-, 24- or 32-byte key (FIPS 197 §5.1, §5.2). */
export function aesEncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  checkKey(key)
  if (!(block instanceof Uint8Array) || block.length !== 16)
    throw new TypeError('an AES block must be a 16-byte Uint8Array (FIPS 197 §3.1)')
  return encryptBlockWithSchedule(expandKey(key), block)
}
